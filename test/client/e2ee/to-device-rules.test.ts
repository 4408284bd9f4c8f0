// PUT /sendToDevice refuses malformed requests with the spec's errors; deleting a device
// drops its inbox; another tenant's users never receive anything.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { call, createOpenTenant, login, register, startRoomsShard, txn, type Client } from '../rooms/helpers.ts';
import { deleteDevice, inboxSize, sendToDevice, sendToDevicePath, syncToDevice } from './to-device-helpers.ts';

const A = 'to-device-a.example';
const B = 'to-device-b.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let aliceB: Client;
let bobB: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, A);
  await createOpenTenant(shard, B);
  [alice, bob, aliceB, bobB] = (await Promise.all([register(shard, A, 'alice'), register(shard, A, 'bob'), register(shard, B, 'alice'), register(shard, B, 'bob')])) as [
    Client,
    Client,
    Client,
    Client,
  ];
});
afterAll(async () => shard?.close());

describe('malformed requests', () => {
  async function put(body: unknown, options: { type?: string; rawBody?: string } = {}) {
    const path = sendToDevicePath(options.type ?? 'org.example.bad', txn());
    return call(shard, A, 'PUT', path, { token: alice.token, ...(options.rawBody !== undefined ? { rawBody: options.rawBody } : body === undefined ? {} : { body }) });
  }

  test.each([
    ['no body', undefined, 'M_NOT_JSON'],
    ['invalid JSON', { raw: '{"messages": {' }, 'M_NOT_JSON'],
    ['a body that is not an object', [1, 2], 'M_BAD_JSON'],
    ['no messages', {}, 'M_MISSING_PARAM'],
    ['messages not an object', { messages: ['@bob:x'] }, 'M_BAD_JSON'],
    ['messages null', { messages: null }, 'M_BAD_JSON'],
    ['a key that is not a user ID', { messages: { bob: { D: {} } } }, 'M_INVALID_PARAM'],
    ['a user ID without a server name', { messages: { '@bob': { D: {} } } }, 'M_INVALID_PARAM'],
    ['a user’s devices not an object', { messages: { '@bob:x': 'D' } }, 'M_BAD_JSON'],
    ['a content that is a string', { messages: { '@bob:x': { D: 'hello' } } }, 'M_BAD_JSON'],
    ['a content that is an array', { messages: { '@bob:x': { D: [] } } }, 'M_BAD_JSON'],
    ['a content that is null', { messages: { '@bob:x': { '*': null } } }, 'M_BAD_JSON'],
    ['an empty device ID', { messages: { '@bob:x': { '': {} } } }, 'M_INVALID_PARAM'],
    ['U+0000 in a content', { messages: { '@bob:x': { D: { s: 'a\u0000b' } } } }, 'M_BAD_JSON'],
    ['a lone surrogate in a key', { raw: '{"messages": {"@bob:x": {"D": {"\\ud800": 1}}}}' }, 'M_BAD_JSON'],
  ])('%s: 400 %s', async (_name, body, errcode) => {
    const raw = (body as { raw?: string } | undefined)?.raw;
    const res = await put(raw === undefined ? body : undefined, raw === undefined ? {} : { rawBody: raw });
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });

  test('an event type over 255 bytes: 400 M_INVALID_PARAM', async () => {
    const res = await put({ messages: {} }, { type: 'x'.repeat(256) });
    expect(res.status, res.text).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  test('more than 10 000 addressed devices: 413 M_TOO_LARGE, nothing delivered', async () => {
    const devices = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`D${i}`, {}]));
    const res = await put({ messages: { [bob.userId]: { ...devices, [bob.deviceId]: { x: 1 } } } });
    expect(res.status, res.text).toBe(413);
    expect(res.body).toMatchObject({ errcode: 'M_TOO_LARGE' });
    expect(await inboxSize(shard, A, bob.userId, bob.deviceId)).toBe(0);
  });

  test('without an access token: 401 M_MISSING_TOKEN', async () => {
    const res = await call(shard, A, 'PUT', sendToDevicePath('org.example.bad', txn()), { body: { messages: {} } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });

  test('nothing malformed reached an inbox', async () => {
    expect(await inboxSize(shard, A, bob.userId, bob.deviceId)).toBe(0);
  });
});

describe('device deletion', () => {
  test('drops the device’s inbox; `*` no longer reaches it', async () => {
    const other = await login(shard, A, bob.userId);
    await sendToDevice(alice, 'org.example.del', { [bob.userId]: { [other.deviceId]: { n: 1 }, [bob.deviceId]: { n: 1 } } });
    await sendToDevice(alice, 'org.example.del', { [bob.userId]: { '*': { n: 2 } } });
    expect(await inboxSize(shard, A, bob.userId, other.deviceId)).toBe(2);

    const res = await deleteDevice(shard, A, bob, other.deviceId);
    expect(res.status, res.text).toBe(200);
    expect(await inboxSize(shard, A, bob.userId, other.deviceId)).toBe(0);

    await sendToDevice(alice, 'org.example.del', { [bob.userId]: { '*': { n: 3 } } });
    expect(await inboxSize(shard, A, bob.userId, other.deviceId)).toBe(0);
    // Bob's remaining device has all three.
    expect((await syncToDevice(bob)).events.map((e) => e.content.n)).toEqual([1, 2, 3]);
  });
});

describe('tenant isolation', () => {
  test('another tenant’s users are remote users: nothing reaches them, nor users of the same name', async () => {
    const before = { a: (await syncToDevice(bob)).next_batch, b: (await syncToDevice(bobB)).next_batch };
    // From tenant B to tenant A's Bob (another server name) and to B's own Bob.
    await sendToDevice(aliceB, 'org.example.cross', { [bob.userId]: { '*': { from: 'B' } }, [bobB.userId]: { [bobB.deviceId]: { to: 'bob of B' } } });
    // From tenant A to B's Bob.
    await sendToDevice(alice, 'org.example.cross', { [bobB.userId]: { '*': { from: 'A' } } });

    expect((await syncToDevice(bob, before.a)).events).toEqual([]);
    expect((await syncToDevice(bobB, before.b)).events).toEqual([{ sender: aliceB.userId, type: 'org.example.cross', content: { to: 'bob of B' } }]);
  });

  test('a token of tenant A cannot send through tenant B', async () => {
    const res = await call(shard, B, 'PUT', sendToDevicePath('org.example.cross', txn()), { token: alice.token, body: { messages: { [bobB.userId]: { '*': {} } } } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });
});

