// Bad input to the key backup endpoints: every body shape, type and range error is a 4xx
// Matrix error (never a 500), and nothing is stored by a refused request.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callTenant, type HttpResult } from '../../helpers/http.ts';
import { expectSpecConformance } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { MAX_SESSIONS_PER_REQUEST } from '../../../src/services/key-backup/backup-bodies.ts';
import { createOpenTenant, CS, register, startRoomsShard, type Client } from '../rooms/helpers.ts';
import { ALGORITHM, authData, createBackup, expectError, expectUpdate, keyData, keysPath, VERSION_PATH, versionInfo, versionPath } from './key-backup-helpers.ts';

const HS = 'backup-validation.example';
const ROOM = '!room:backup-validation.example';
let shard: TestShard;
let user: Client;
let version: string;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  user = await register(shard, HS, 'alice');
  version = await createBackup(user);
});
afterAll(async () => shard?.close());

/** A spec-checked call with a raw (possibly malformed) body. */
async function rawCall(method: string, path: string, rawBody: string): Promise<HttpResult> {
  const res = await callTenant(shard.url, HS, path, { method, rawBody, token: user.token });
  await expectSpecConformance(method, path, res.status, res.body);
  return res;
}

describe('POST and PUT /room_keys/version bodies', () => {
  const deep = (levels: number): unknown => (levels === 0 ? 'x' : { a: deep(levels - 1) });
  const cases: [string, unknown, number, string][] = [
    ['an array body', [], 400, 'M_BAD_JSON'],
    ['no algorithm', { auth_data: authData() }, 400, 'M_MISSING_PARAM'],
    ['a numeric algorithm', { algorithm: 1, auth_data: authData() }, 400, 'M_BAD_JSON'],
    ['an unknown algorithm', { algorithm: 'org.example.backup', auth_data: authData() }, 400, 'M_INVALID_PARAM'],
    ['no auth_data', { algorithm: ALGORITHM }, 400, 'M_MISSING_PARAM'],
    ['auth_data a string', { algorithm: ALGORITHM, auth_data: 'key' }, 400, 'M_BAD_JSON'],
    ['auth_data an array', { algorithm: ALGORITHM, auth_data: [] }, 400, 'M_BAD_JSON'],
    ['auth_data without public_key', { algorithm: ALGORITHM, auth_data: { signatures: {} } }, 400, 'M_MISSING_PARAM'],
    ['a numeric public_key', { algorithm: ALGORITHM, auth_data: { public_key: 5 } }, 400, 'M_BAD_JSON'],
    ['signatures not an object', { algorithm: ALGORITHM, auth_data: { public_key: 'k', signatures: 'sig' } }, 400, 'M_BAD_JSON'],
    ['U+0000 in auth_data', { algorithm: ALGORITHM, auth_data: { public_key: 'k\u0000' } }, 400, 'M_BAD_JSON'],
    ['auth_data nested too deeply', { algorithm: ALGORITHM, auth_data: { public_key: 'k', extra: deep(150) } }, 400, 'M_BAD_JSON'],
  ];
  for (const [name, body, status, errcode] of cases) {
    test(`POST with ${name} is ${status} ${errcode}`, async () => {
      expectError(await user.call('POST', VERSION_PATH, body), status, errcode);
    });
    test(`PUT with ${name} is ${status} ${errcode}`, async () => {
      expectError(await user.call('PUT', versionPath(version), body), status, errcode);
    });
  }

  test('no body or malformed JSON is 400 M_NOT_JSON', async () => {
    expectError(await rawCall('POST', VERSION_PATH, ''), 400, 'M_NOT_JSON');
    expectError(await rawCall('POST', VERSION_PATH, '{"algorithm":'), 400, 'M_NOT_JSON');
  });

  test('a non-string version in the PUT body is 400 M_BAD_JSON', async () => {
    expectError(await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData(), version: Number(version) }), 400, 'M_BAD_JSON');
  });
});

describe('PUT /room_keys/keys bodies and parameters', () => {
  const good = keyData('good');
  const without = (field: string): Record<string, unknown> => Object.fromEntries(Object.entries(good).filter(([k]) => k !== field));
  const badKeys: [string, unknown, string][] = [
    ['not an object', 'data', 'M_BAD_JSON'],
    ['an array', [], 'M_BAD_JSON'],
    ['no first_message_index', without('first_message_index'), 'M_MISSING_PARAM'],
    ['a string first_message_index', { ...good, first_message_index: '1' }, 'M_BAD_JSON'],
    ['a fractional first_message_index', { ...good, first_message_index: 1.5 }, 'M_BAD_JSON'],
    ['a negative first_message_index', { ...good, first_message_index: -1 }, 'M_INVALID_PARAM'],
    ['a first_message_index beyond 2^53', { ...good, first_message_index: 2 ** 60 }, 'M_INVALID_PARAM'],
    ['no forwarded_count', without('forwarded_count'), 'M_MISSING_PARAM'],
    ['a null forwarded_count', { ...good, forwarded_count: null }, 'M_BAD_JSON'],
    ['a negative forwarded_count', { ...good, forwarded_count: -3 }, 'M_INVALID_PARAM'],
    ['no is_verified', without('is_verified'), 'M_MISSING_PARAM'],
    ['a string is_verified', { ...good, is_verified: 'true' }, 'M_BAD_JSON'],
    ['no session_data', without('session_data'), 'M_MISSING_PARAM'],
    ['session_data a string', { ...good, session_data: 'ciphertext' }, 'M_BAD_JSON'],
    ['session_data null', { ...good, session_data: null }, 'M_BAD_JSON'],
    ['session_data an array', { ...good, session_data: [] }, 'M_BAD_JSON'],
    ['U+0000 in a session_data key', { ...good, session_data: { 'a\u0000': 'x' } }, 'M_BAD_JSON'],
  ];

  for (const [name, data, errcode] of badKeys) {
    test(`key data with ${name} is 400 ${errcode} at every level`, async () => {
      expectError(await user.call('PUT', keysPath(version, ROOM, 's1'), data), 400, errcode);
      expectError(await user.call('PUT', keysPath(version, ROOM), { sessions: { s1: data } }), 400, errcode);
      expectError(await user.call('PUT', keysPath(version), { rooms: { [ROOM]: { sessions: { ok: good, s1: data } } } }), 400, errcode);
    });
  }

  // Paths are built per test: the backup version is known only after beforeAll.
  const room = (v: string): string => keysPath(v, ROOM);
  const all = (v: string): string => keysPath(v);
  const badShapes: [string, (v: string) => string, unknown, string][] = [
    ['a room body without sessions', room, {}, 'M_MISSING_PARAM'],
    ['a room body with sessions an array', room, { sessions: [] }, 'M_BAD_JSON'],
    ['an all-rooms body without rooms', all, {}, 'M_MISSING_PARAM'],
    ['rooms an array', all, { rooms: [] }, 'M_BAD_JSON'],
    ['a room that is not an object', all, { rooms: { [ROOM]: 'x' } }, 'M_BAD_JSON'],
    ['a room without sessions', all, { rooms: { [ROOM]: {} } }, 'M_MISSING_PARAM'],
    ['a key that is not a room ID', all, { rooms: { 'not-a-room': { sessions: {} } } }, 'M_INVALID_PARAM'],
    ['an empty session ID', room, { sessions: { '': keyData('x') } }, 'M_INVALID_PARAM'],
    ['a session ID of 256 characters', room, { sessions: { ['s'.repeat(256)]: keyData('x') } }, 'M_INVALID_PARAM'],
    ['a session ID with U+0000', room, { sessions: { 'a\u0000b': keyData('x') } }, 'M_INVALID_PARAM'],
  ];
  for (const [name, path, body, errcode] of badShapes) {
    test(`${name} is 400 ${errcode}`, async () => {
      expectError(await user.call('PUT', path(version), body), 400, errcode);
    });
  }

  test('a malformed room ID or session ID in the path is 400 M_INVALID_PARAM', async () => {
    for (const method of ['PUT', 'GET', 'DELETE']) {
      const body = method === 'PUT' ? keyData('x') : undefined;
      expectError(await user.call(method, keysPath(version, 'room-without-sigil', 's1'), body), 400, 'M_INVALID_PARAM');
      expectError(await user.call(method, keysPath(version, ROOM, 'x'.repeat(256)), body), 400, 'M_INVALID_PARAM');
      expectError(await user.call(method, keysPath(version, 'room-without-sigil'), method === 'PUT' ? { sessions: {} } : undefined), 400, 'M_INVALID_PARAM');
    }
  });

  test('the version query parameter is required, once', async () => {
    const base = `${CS}/room_keys/keys`;
    expectError(await user.call('PUT', base, { rooms: {} }), 400, 'M_MISSING_PARAM');
    expectError(await user.call('GET', base), 400, 'M_MISSING_PARAM');
    expectError(await user.call('DELETE', `${base}/${encodeURIComponent(ROOM)}`), 400, 'M_MISSING_PARAM');
    expectError(await user.call('GET', `${base}?version=${version}&version=${version}`), 400, 'M_INVALID_PARAM');
  });

  test(`at most ${MAX_SESSIONS_PER_REQUEST} sessions per request`, async () => {
    const sessions = (n: number, prefix: string): Record<string, unknown> => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, keyData(`${i}`)]));
    // Spread over two rooms, so the limit is per request, not per room.
    const tooMany = { rooms: { [ROOM]: { sessions: sessions(600, 'a') }, '!other:backup-validation.example': { sessions: sessions(MAX_SESSIONS_PER_REQUEST - 599, 'b') } } };
    expectError(await user.call('PUT', keysPath(version), tooMany), 400, 'M_INVALID_PARAM');
    expectError(await user.call('PUT', keysPath(version, ROOM), { sessions: sessions(MAX_SESSIONS_PER_REQUEST + 1, 'c') }), 400, 'M_INVALID_PARAM');
    expect((await versionInfo(user)).count).toBe(0);
    const exactly = await expectUpdate(user.call('PUT', keysPath(version, ROOM), { sessions: sessions(MAX_SESSIONS_PER_REQUEST, 'd') }));
    expect(exactly.count).toBe(MAX_SESSIONS_PER_REQUEST);
    await expectUpdate(user.call('DELETE', keysPath(version)));
  });

  test('a body beyond the size limit is 413 M_TOO_LARGE', async () => {
    const huge = { sessions: { s1: { ...keyData('x'), session_data: { ciphertext: 'x'.repeat(2 * 1024 * 1024) } } } };
    expectError(await user.call('PUT', keysPath(version, ROOM), huge), 413, 'M_TOO_LARGE');
  });

  test('nothing was stored by any refused request', async () => {
    expect((await user.call('GET', keysPath(version))).body).toEqual({ rooms: {} });
    expect(await versionInfo(user)).toMatchObject({ version, count: 0 });
  });
});
