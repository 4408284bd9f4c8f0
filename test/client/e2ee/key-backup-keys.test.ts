// Backed-up session keys over HTTP: PUT/GET/DELETE /room_keys/keys at all three levels, the
// spec's replacement rules, etag and count, and the version rules (writes only to the
// current version: 403 M_WRONG_ROOM_KEYS_VERSION with current_version; reads and deletes
// from any existing version; 404 without a backup).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, register, startRoomsShard, type Client } from '../rooms/helpers.ts';
import { createBackup, expectError, expectUpdate, keyData, keysPath, versionInfo, versionPath, type KeyData } from './key-backup-helpers.ts';

const HS = 'backup-keys.example';
const ROOM_A = '!alpha:backup-keys.example';
const ROOM_B = '!beta:backup-keys.example';
// A room ID of room version 12 (no server name).
const ROOM_V12 = '!31hneApxJ_1o-63DmFrpeqnkFfWppnzWso1JvH3ogLM';
let shard: TestShard;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

let userCounter = 0;
async function userWithBackup(): Promise<{ user: Client; version: string }> {
  const user = await register(shard, HS, `user${userCounter++}`);
  return { user, version: await createBackup(user) };
}

describe('storing and reading at three levels', () => {
  test('PUT of one session, of a room and of several rooms; GET returns exactly what is stored', async () => {
    const { user, version } = await userWithBackup();
    expect(await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 's1'), keyData('a1')))).toMatchObject({ count: 1 });
    expect(await expectUpdate(user.call('PUT', keysPath(version, ROOM_A), { sessions: { s2: keyData('a2'), s3: keyData('a3') } }))).toMatchObject({ count: 3 });
    const all = await expectUpdate(
      user.call('PUT', keysPath(version), { rooms: { [ROOM_B]: { sessions: { s1: keyData('b1') } }, [ROOM_V12]: { sessions: { s9: keyData('v9', { is_verified: true }) } } } }),
    );
    expect(all.count).toBe(5);

    expect((await user.call('GET', keysPath(version, ROOM_A, 's2'))).body).toEqual(keyData('a2'));
    expect((await user.call('GET', keysPath(version, ROOM_A))).body).toEqual({ sessions: { s1: keyData('a1'), s2: keyData('a2'), s3: keyData('a3') } });
    expect((await user.call('GET', keysPath(version))).body).toEqual({
      rooms: {
        [ROOM_A]: { sessions: { s1: keyData('a1'), s2: keyData('a2'), s3: keyData('a3') } },
        [ROOM_B]: { sessions: { s1: keyData('b1') } },
        [ROOM_V12]: { sessions: { s9: keyData('v9', { is_verified: true }) } },
      },
    });
    const info = await versionInfo(user);
    expect(info.count).toBe(5);
    expect(info.etag).toBe(all.etag);
  });

  test('an empty backup is {"rooms": {}}, a room without keys {"sessions": {}}, a missing session 404 M_NOT_FOUND', async () => {
    const { user, version } = await userWithBackup();
    expect((await user.call('GET', keysPath(version))).body).toEqual({ rooms: {} });
    expect((await user.call('GET', keysPath(version, ROOM_A))).body).toEqual({ sessions: {} });
    expectError(await user.call('GET', keysPath(version, ROOM_A, 'nope')), 404, 'M_NOT_FOUND');
    await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 's1'), keyData('a')));
    expectError(await user.call('GET', keysPath(version, ROOM_B, 's1')), 404, 'M_NOT_FOUND');
  });

  test('session IDs with base64 characters ("/", "+") and spaces round-trip through paths and bodies', async () => {
    const { user, version } = await userWithBackup();
    const slashy = 'ab/cd+ef/GH0123456789abcdefghijklmnopqrstuv';
    await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, slashy), keyData('slash')));
    await expectUpdate(user.call('PUT', keysPath(version, ROOM_A), { sessions: { 'with space': keyData('space') } }));
    expect((await user.call('GET', keysPath(version, ROOM_A, slashy))).body).toEqual(keyData('slash'));
    const room = (await user.call('GET', keysPath(version, ROOM_A))).body as { sessions: Record<string, KeyData> };
    expect(Object.keys(room.sessions).sort()).toEqual([slashy, 'with space'].sort());
  });

  test('a "__proto__" session ID is stored and served as an ordinary key', async () => {
    const { user, version } = await userWithBackup();
    const body = JSON.parse(`{"sessions": {"__proto__": ${JSON.stringify(keyData('proto'))}}}`) as Record<string, unknown>;
    expect(Object.hasOwn(body.sessions as object, '__proto__')).toBe(true);
    expect((await expectUpdate(user.call('PUT', keysPath(version, ROOM_A), body))).count).toBe(1);
    const room = (await user.call('GET', keysPath(version, ROOM_A))).body as { sessions: Record<string, KeyData> };
    expect(Object.hasOwn(room.sessions, '__proto__')).toBe(true);
    expect((await user.call('GET', keysPath(version, ROOM_A, '__proto__'))).body).toEqual(keyData('proto'));
  });
});

describe('replacement of a stored session (spec: verified, then lower first_message_index, then lower forwarded_count)', () => {
  type Meta = { is_verified: boolean; first_message_index: number; forwarded_count: number };
  const m = (is_verified: boolean, first_message_index: number, forwarded_count: number): Meta => ({ is_verified, first_message_index, forwarded_count });
  const cases: { name: string; stored: Meta; incoming: Meta; replaced: boolean }[] = [
    { name: 'verified replaces unverified despite a higher index and count', stored: m(false, 0, 0), incoming: m(true, 10, 5), replaced: true },
    { name: 'unverified never replaces verified, even with a lower index', stored: m(true, 10, 5), incoming: m(false, 0, 0), replaced: false },
    { name: 'same verification: lower first_message_index replaces', stored: m(false, 5, 0), incoming: m(false, 4, 9), replaced: true },
    { name: 'same verification: higher first_message_index does not replace', stored: m(true, 4, 9), incoming: m(true, 5, 0), replaced: false },
    { name: 'same verification and index: lower forwarded_count replaces', stored: m(true, 3, 2), incoming: m(true, 3, 1), replaced: true },
    { name: 'same verification and index: higher forwarded_count does not replace', stored: m(false, 3, 1), incoming: m(false, 3, 2), replaced: false },
    { name: 'a full tie keeps the stored key', stored: m(false, 3, 1), incoming: m(false, 3, 1), replaced: false },
    { name: 'verified tie on everything else keeps the stored key', stored: m(true, 0, 0), incoming: m(true, 0, 0), replaced: false },
  ];

  for (const c of cases) {
    for (const level of ['session', 'room', 'all'] as const) {
      test(`${c.name} (PUT ${level})`, async () => {
        const { user, version } = await userWithBackup();
        const first = await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 'sess'), keyData('stored', c.stored)));
        const incoming = keyData('incoming', c.incoming);
        const put =
          level === 'session'
            ? user.call('PUT', keysPath(version, ROOM_A, 'sess'), incoming)
            : level === 'room'
              ? user.call('PUT', keysPath(version, ROOM_A), { sessions: { sess: incoming } })
              : user.call('PUT', keysPath(version), { rooms: { [ROOM_A]: { sessions: { sess: incoming } } } });
        const second = await expectUpdate(put);
        expect(second.count).toBe(1);
        const kept = (await user.call('GET', keysPath(version, ROOM_A, 'sess'))).body;
        expect(kept).toEqual(c.replaced ? incoming : keyData('stored', c.stored));
        // The etag changes exactly when the stored key changed.
        if (c.replaced) expect(second.etag).not.toBe(first.etag);
        else expect(second.etag).toBe(first.etag);
      });
    }
  }

  test('in one batch, new, better and worse keys are each handled by the rules', async () => {
    const { user, version } = await userWithBackup();
    await expectUpdate(user.call('PUT', keysPath(version, ROOM_A), { sessions: { keep: keyData('k', { first_message_index: 1 }), swap: keyData('s', { first_message_index: 5 }) } }));
    const res = await expectUpdate(
      user.call('PUT', keysPath(version, ROOM_A), {
        sessions: { keep: keyData('k2', { first_message_index: 2 }), swap: keyData('s2', { first_message_index: 4 }), fresh: keyData('f') },
      }),
    );
    expect(res.count).toBe(3);
    expect((await user.call('GET', keysPath(version, ROOM_A))).body).toEqual({
      sessions: { keep: keyData('k', { first_message_index: 1 }), swap: keyData('s2', { first_message_index: 4 }), fresh: keyData('f') },
    });
  });
});

describe('etag and count', () => {
  test('new keys, unchanged uploads, replacements and deletions move etag and count as they should', async () => {
    const { user, version } = await userWithBackup();
    const empty = await versionInfo(user);
    expect(empty.count).toBe(0);

    const one = await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 's1'), keyData('a', { first_message_index: 5 })));
    expect(one.count).toBe(1);
    expect(one.etag).not.toBe(empty.etag);

    const same = await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 's1'), keyData('a', { first_message_index: 5 })));
    expect(same).toEqual(one);

    const better = await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 's1'), keyData('a', { first_message_index: 1 })));
    expect(better.count).toBe(1);
    expect(better.etag).not.toBe(one.etag);

    const emptyPut = await expectUpdate(user.call('PUT', keysPath(version), { rooms: {} }));
    expect(emptyPut).toEqual(better);

    const two = await expectUpdate(user.call('PUT', keysPath(version, ROOM_B, 's1'), keyData('b')));
    expect(two.count).toBe(2);

    const nothingDeleted = await expectUpdate(user.call('DELETE', keysPath(version, ROOM_B, 'missing')));
    expect(nothingDeleted).toEqual(two);

    const deleted = await expectUpdate(user.call('DELETE', keysPath(version, ROOM_B, 's1')));
    expect(deleted.count).toBe(1);
    expect(deleted.etag).not.toBe(two.etag);
    const info = await versionInfo(user, version);
    expect({ count: info.count, etag: info.etag }).toEqual(deleted);
    // etags seen so far are all different from each other where the keys changed.
    expect(new Set([empty.etag, one.etag, better.etag, two.etag, deleted.etag]).size).toBe(5);
  });
});

describe('deletion at three levels', () => {
  async function filled(): Promise<{ user: Client; version: string }> {
    const backup = await userWithBackup();
    await expectUpdate(
      backup.user.call('PUT', keysPath(backup.version), {
        rooms: { [ROOM_A]: { sessions: { s1: keyData('a1'), s2: keyData('a2') } }, [ROOM_B]: { sessions: { s1: keyData('b1') } } },
      }),
    );
    return backup;
  }

  test('DELETE of one session removes only it', async () => {
    const { user, version } = await filled();
    expect((await expectUpdate(user.call('DELETE', keysPath(version, ROOM_A, 's1')))).count).toBe(2);
    expect((await user.call('GET', keysPath(version))).body).toEqual({
      rooms: { [ROOM_A]: { sessions: { s2: keyData('a2') } }, [ROOM_B]: { sessions: { s1: keyData('b1') } } },
    });
  });

  test('DELETE of a room removes its sessions only', async () => {
    const { user, version } = await filled();
    expect((await expectUpdate(user.call('DELETE', keysPath(version, ROOM_A)))).count).toBe(1);
    expect((await user.call('GET', keysPath(version))).body).toEqual({ rooms: { [ROOM_B]: { sessions: { s1: keyData('b1') } } } });
    expect((await user.call('GET', keysPath(version, ROOM_A))).body).toEqual({ sessions: {} });
  });

  test('DELETE of all keys empties the backup, which stays (and stays current)', async () => {
    const { user, version } = await filled();
    expect((await expectUpdate(user.call('DELETE', keysPath(version)))).count).toBe(0);
    expect((await user.call('GET', keysPath(version))).body).toEqual({ rooms: {} });
    expect(await versionInfo(user)).toMatchObject({ version, count: 0 });
  });
});

describe('versions of key operations', () => {
  test('writing to an older version is 403 M_WRONG_ROOM_KEYS_VERSION with current_version, at every level', async () => {
    const { user, version: old } = await userWithBackup();
    const current = await createBackup(user);
    const puts = [
      user.call('PUT', keysPath(old, ROOM_A, 's1'), keyData('x')),
      user.call('PUT', keysPath(old, ROOM_A), { sessions: { s1: keyData('x') } }),
      user.call('PUT', keysPath(old), { rooms: { [ROOM_A]: { sessions: { s1: keyData('x') } } } }),
      user.call('PUT', keysPath('12345', ROOM_A, 's1'), keyData('x')),
      user.call('PUT', keysPath('not-a-version'), { rooms: {} }),
    ];
    for (const res of await Promise.all(puts)) {
      expectError(res, 403, 'M_WRONG_ROOM_KEYS_VERSION');
      expect((res.body as { current_version: string }).current_version).toBe(current);
    }
    expect((await user.call('GET', keysPath(old))).body).toEqual({ rooms: {} });
  });

  test('reading and deleting keys of an older, existing version is allowed', async () => {
    const { user, version: old } = await userWithBackup();
    await expectUpdate(user.call('PUT', keysPath(old, ROOM_A, 's1'), keyData('old')));
    const current = await createBackup(user);
    await expectUpdate(user.call('PUT', keysPath(current, ROOM_A, 's1'), keyData('new')));
    expect((await user.call('GET', keysPath(old, ROOM_A, 's1'))).body).toEqual(keyData('old'));
    expect((await user.call('GET', keysPath(current, ROOM_A, 's1'))).body).toEqual(keyData('new'));
    expect((await expectUpdate(user.call('DELETE', keysPath(old, ROOM_A, 's1')))).count).toBe(0);
    expect((await user.call('GET', keysPath(current, ROOM_A, 's1'))).body).toEqual(keyData('new'));
    expect((await versionInfo(user, current)).count).toBe(1);
  });

  test('reading or deleting keys of an unknown or deleted version is 404 M_NOT_FOUND', async () => {
    const { user, version } = await userWithBackup();
    const gone = await createBackup(user);
    await user.call('DELETE', versionPath(gone));
    for (const v of [gone, '999', 'abc']) {
      for (const [method, path] of [
        ['GET', keysPath(v)],
        ['GET', keysPath(v, ROOM_A)],
        ['GET', keysPath(v, ROOM_A, 's1')],
        ['DELETE', keysPath(v)],
        ['DELETE', keysPath(v, ROOM_A)],
        ['DELETE', keysPath(v, ROOM_A, 's1')],
      ] as const) {
        expectError(await user.call(method, path), 404, 'M_NOT_FOUND');
      }
    }
    // After deleting the newer version the first one is current again and writable.
    await expectUpdate(user.call('PUT', keysPath(version, ROOM_A, 's1'), keyData('a')));
  });

  test('without any backup, writing keys is 404 M_NOT_FOUND', async () => {
    const user = await register(shard, HS, `user${userCounter++}`);
    expectError(await user.call('PUT', keysPath('1', ROOM_A, 's1'), keyData('x')), 404, 'M_NOT_FOUND');
    expectError(await user.call('PUT', keysPath('1', ROOM_A), { sessions: {} }), 404, 'M_NOT_FOUND');
    expectError(await user.call('PUT', keysPath('1'), { rooms: {} }), 404, 'M_NOT_FOUND');
    expectError(await user.call('GET', keysPath('1')), 404, 'M_NOT_FOUND');
  });

  test('concurrent uploads to one version keep count and etag consistent', async () => {
    const { user, version } = await userWithBackup();
    const uploads = Array.from({ length: 10 }, (_, i) =>
      user.call('PUT', keysPath(version, ROOM_A), { sessions: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`s${(i * 7 + j) % 50}`, keyData(`${i}-${j}`, { first_message_index: 100 - i })])) }),
    );
    for (const res of await Promise.all(uploads)) expect(res.status).toBe(200);
    const all = (await user.call('GET', keysPath(version, ROOM_A))).body as { sessions: Record<string, KeyData> };
    const info = await versionInfo(user);
    expect(info.count).toBe(Object.keys(all.sessions).length);
    // Every stored session is the best (lowest index) key any upload offered for it.
    for (const [sessionId, data] of Object.entries(all.sessions)) {
      const n = Number(sessionId.slice(1));
      const offers = Array.from({ length: 10 }, (_, i) => i).filter((i) => Array.from({ length: 20 }, (_, j) => (i * 7 + j) % 50).includes(n));
      expect(data.first_message_index, sessionId).toBe(100 - Math.max(...offers));
    }
  });
});
