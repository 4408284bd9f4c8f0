// PUT /sendToDevice and delivery in /sync: to one device, to every device (`*`), explicit
// devices beside `*`, unknown and remote recipients ignored, idempotent transaction IDs.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, login, register, startRoomsShard, txn, type Client } from '../rooms/helpers.ts';
import { currentContext } from '../user-data/helpers.ts';
import { sendToDevice, sendToDevicePath, syncToDevice } from './to-device-helpers.ts';

const HS = 'to-device-delivery.example';
let shard: TestShard;
let alice: Client;
let alice2: Client;
let bob: Client;
let bob2: Client;
/** Each device's latest next_batch: syncs start from it, so earlier tests' messages are acknowledged. */
const tokens = new Map<Client, string>();

async function fresh(client: Client) {
  const result = await syncToDevice(client, tokens.get(client));
  tokens.set(client, result.next_batch);
  return result.events;
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob] = (await Promise.all([register(shard, HS, 'alice'), register(shard, HS, 'bob')])) as [Client, Client];
  alice2 = await login(shard, HS, alice.userId);
  bob2 = await login(shard, HS, bob.userId);
  for (const client of [alice, alice2, bob, bob2]) tokens.set(client, (await syncToDevice(client)).next_batch);
});
afterAll(async () => shard?.close());

describe('delivery', () => {
  test('a message to one device reaches that device only, as {sender, type, content}', async () => {
    await sendToDevice(alice, 'org.example.ping', { [bob.userId]: { [bob.deviceId]: { n: 1, nested: { list: [1, 'two'] } } } });
    expect(await fresh(bob)).toEqual([{ sender: alice.userId, type: 'org.example.ping', content: { n: 1, nested: { list: [1, 'two'] } } }]);
    expect(await fresh(bob2)).toEqual([]);
    expect(await fresh(alice)).toEqual([]);
  });

  test('`*` reaches every device of the user, the sender’s own included', async () => {
    await sendToDevice(alice, 'org.example.all', { [bob.userId]: { '*': { all: true } }, [alice.userId]: { '*': { self: true } } });
    for (const device of [bob, bob2]) expect(await fresh(device)).toEqual([{ sender: alice.userId, type: 'org.example.all', content: { all: true } }]);
    for (const device of [alice, alice2]) expect(await fresh(device)).toEqual([{ sender: alice.userId, type: 'org.example.all', content: { self: true } }]);
  });

  test('a device named beside `*` gets its own message, the others the `*` one', async () => {
    await sendToDevice(alice, 'org.example.mix', { [bob.userId]: { '*': { to: 'rest' }, [bob2.deviceId]: { to: 'bob2' } } });
    expect((await fresh(bob)).map((e) => e.content)).toEqual([{ to: 'rest' }]);
    expect((await fresh(bob2)).map((e) => e.content)).toEqual([{ to: 'bob2' }]);
  });

  test('messages arrive in the order they were sent', async () => {
    for (let n = 0; n < 5; n++) await sendToDevice(n % 2 === 0 ? alice : alice2, 'org.example.seq', { [bob.userId]: { [bob.deviceId]: { n } } });
    expect((await fresh(bob)).map((e) => e.content.n)).toEqual([0, 1, 2, 3, 4]);
  });

  test('unknown local users and devices, and users of other servers, are ignored', async () => {
    await sendToDevice(alice, 'org.example.nobody', {
      [`@nobody:${HS}`]: { '*': { x: 1 }, DEVICE: { x: 2 } },
      [bob.userId]: { NOSUCHDEVICE: { x: 3 } },
      '@someone:other.example': { '*': { x: 4 } },
    });
    expect(await fresh(bob)).toEqual([]);
    expect(await fresh(bob2)).toEqual([]);
    // Empty maps are fine too.
    await sendToDevice(alice, 'org.example.nobody', {});
    await sendToDevice(alice, 'org.example.nobody', { [bob.userId]: {} });
    expect(await fresh(bob)).toEqual([]);
  });

  test('an event type and transaction ID needing percent-encoding', async () => {
    await sendToDevice(alice, 'org.example/ä b', { [bob.userId]: { [bob.deviceId]: {} } }, 'txn/with spaces?&');
    expect(await fresh(bob)).toEqual([{ sender: alice.userId, type: 'org.example/ä b', content: {} }]);
  });
});

describe('transaction IDs', () => {
  test('the same transaction twice from one device delivers once, and both answer 200 {}', async () => {
    const id = txn();
    await sendToDevice(alice, 'org.example.once', { [bob.userId]: { [bob.deviceId]: { first: true } } }, id);
    await sendToDevice(alice, 'org.example.once', { [bob.userId]: { [bob.deviceId]: { second: true } } }, id);
    expect((await fresh(bob)).map((e) => e.content)).toEqual([{ first: true }]);
    // Also after the first was delivered and acknowledged.
    await sendToDevice(alice, 'org.example.once', { [bob.userId]: { [bob.deviceId]: { third: true } } }, id);
    expect(await fresh(bob)).toEqual([]);
  });

  test('concurrent duplicates deliver once', async () => {
    const id = txn();
    await Promise.all(Array.from({ length: 5 }, (_, i) => sendToDevice(alice, 'org.example.race', { [bob.userId]: { [bob.deviceId]: { i } } }, id)));
    expect(await fresh(bob)).toHaveLength(1);
  });

  test('the same transaction ID from another device, or of another user, is a new request', async () => {
    const id = txn();
    await sendToDevice(alice, 'org.example.dev', { [bob.userId]: { [bob.deviceId]: { from: 'alice' } } }, id);
    await sendToDevice(alice2, 'org.example.dev', { [bob.userId]: { [bob.deviceId]: { from: 'alice2' } } }, id);
    await sendToDevice(bob2, 'org.example.dev', { [bob.userId]: { [bob.deviceId]: { from: 'bob2' } } }, id);
    expect((await fresh(bob)).map((e) => e.content.from)).toEqual(['alice', 'alice2', 'bob2']);
  });

  test('the same transaction ID with another event type is another path, so a new request', async () => {
    const id = txn();
    await sendToDevice(alice, 'org.example.one', { [bob.userId]: { [bob.deviceId]: {} } }, id);
    await sendToDevice(alice, 'org.example.two', { [bob.userId]: { [bob.deviceId]: {} } }, id);
    expect((await fresh(bob)).map((e) => e.type)).toEqual(['org.example.one', 'org.example.two']);
  });

  test('transaction IDs older than a day are pruned by later requests, and then new again', async () => {
    const id = txn();
    const tenant = await currentContext(shard, HS);
    await tenant.db
      .insertInto('to_device_txns')
      .values({ user_id: alice.userId, device_id: alice.deviceId, event_type: 'org.example.old', txn_id: id, created_ts: Date.now() - 25 * 60 * 60_000 })
      .execute();
    await sendToDevice(alice, 'org.example.other', {});
    await sendToDevice(alice, 'org.example.old', { [bob.userId]: { [bob.deviceId]: { pruned: true } } }, id);
    expect((await fresh(bob)).map((e) => e.content)).toEqual([{ pruned: true }]);
  });

  test('a refused request does not use up its transaction ID', async () => {
    const id = txn();
    const bad = await alice.call('PUT', sendToDevicePath('org.example.retry', id), { messages: { [bob.userId]: { [bob.deviceId]: 'not an object' } } });
    expect(bad.status).toBe(400);
    await sendToDevice(alice, 'org.example.retry', { [bob.userId]: { [bob.deviceId]: { ok: true } } }, id);
    expect((await fresh(bob)).map((e) => e.content)).toEqual([{ ok: true }]);
  });
});
