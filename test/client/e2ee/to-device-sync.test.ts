// To-device messages in /sync: at-least-once delivery (again until acknowledged by a later
// since token, deleted after), pagination of a long queue (100 per response, next_batch
// stops at the last one delivered, nothing lost or repeated), and long-polls woken by a
// message.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, login, register, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';
import { inboxSize, sendToDevice, syncToDevice, toDevicePosition, untilSyncWaits, type ToDeviceEvent } from './to-device-helpers.ts';

const HS = 'to-device-sync.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let bob2: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob] = (await Promise.all([register(shard, HS, 'alice'), register(shard, HS, 'bob')])) as [Client, Client];
  bob2 = await login(shard, HS, bob.userId);
});
afterAll(async () => shard?.close());

/** Syncs from `since` until the device's queue is empty; every response's events, in order. */
async function drain(client: Client, since: string | undefined): Promise<{ pages: ToDeviceEvent[][]; next_batch: string }> {
  const pages: ToDeviceEvent[][] = [];
  let token = since;
  for (let i = 0; i < 50; i++) {
    const res = await syncToDevice(client, token);
    token = res.next_batch;
    if (res.events.length === 0) return { pages, next_batch: token };
    pages.push(res.events);
  }
  throw new Error('the queue never drained');
}

describe('acknowledgement', () => {
  test('an initial sync delivers pending messages and acknowledges nothing', async () => {
    await sendToDevice(alice, 'org.example.a', { [bob.userId]: { [bob.deviceId]: { n: 1 } } });
    const first = await syncToDevice(bob);
    expect(first.events).toEqual([{ sender: alice.userId, type: 'org.example.a', content: { n: 1 } }]);
    expect((await syncToDevice(bob)).events).toEqual(first.events);
    // Acknowledged by the next sync from the first's token, then gone.
    expect((await syncToDevice(bob, first.next_batch)).events).toEqual([]);
    expect(await inboxSize(shard, HS, bob.userId, bob.deviceId)).toBe(0);
  });

  test('messages come again with the same since until a later token acknowledges them', async () => {
    const start = await syncToDevice(bob);
    await sendToDevice(alice, 'org.example.b', { [bob.userId]: { [bob.deviceId]: { n: 2 } } });
    const once = await syncToDevice(bob, start.next_batch);
    const again = await syncToDevice(bob, start.next_batch);
    expect(once.events.map((e) => e.content)).toEqual([{ n: 2 }]);
    expect(again.events).toEqual(once.events);
    expect(await inboxSize(shard, HS, bob.userId, bob.deviceId)).toBe(1);

    // Syncing with the response's token acknowledges: deleted, and an old token no longer gets it.
    expect((await syncToDevice(bob, again.next_batch)).events).toEqual([]);
    expect(await inboxSize(shard, HS, bob.userId, bob.deviceId)).toBe(0);
    expect((await syncToDevice(bob, start.next_batch)).events).toEqual([]);
  });

  test('one device acknowledging does not touch another device’s inbox', async () => {
    const [t1, t2] = [await syncToDevice(bob), await syncToDevice(bob2)];
    await sendToDevice(alice, 'org.example.c', { [bob.userId]: { '*': { n: 3 } } });
    const got = await syncToDevice(bob, t1.next_batch);
    expect(got.events).toHaveLength(1);
    await syncToDevice(bob, got.next_batch);
    expect(await inboxSize(shard, HS, bob.userId, bob.deviceId)).toBe(0);
    expect((await syncToDevice(bob2, t2.next_batch)).events.map((e) => e.content)).toEqual([{ n: 3 }]);
  });

  test('full_state does not change what an incremental sync acknowledges', async () => {
    const start = await syncToDevice(bob);
    await sendToDevice(alice, 'org.example.d', { [bob.userId]: { [bob.deviceId]: { n: 4 } } });
    const got = await syncToDevice(bob, start.next_batch, { full_state: true });
    expect(got.events.map((e) => e.content)).toEqual([{ n: 4 }]);
    expect((await syncToDevice(bob, got.next_batch, { full_state: true })).events).toEqual([]);
  });
});

describe('a long queue', () => {
  test('comes 100 at a time, in order, nothing lost or repeated, also with sends between pages', async () => {
    const start = await drain(bob, undefined);
    for (let n = 0; n < 230; n++) await sendToDevice(n % 2 ? alice : bob2, 'org.example.q', { [bob.userId]: { [bob.deviceId]: { n } } });

    const page1 = await syncToDevice(bob, start.next_batch);
    expect(page1.events).toHaveLength(100);
    // next_batch stops at the last message delivered, below the current position.
    const now = toDevicePosition((await syncToDevice(bob2)).next_batch);
    expect(toDevicePosition(page1.next_batch)).toBeLessThan(now);
    // Unacknowledged: the same page again.
    expect((await syncToDevice(bob, start.next_batch)).events).toEqual(page1.events);

    // More arrive while the client pages.
    for (let n = 230; n < 250; n++) await sendToDevice(alice, 'org.example.q', { [bob.userId]: { [bob.deviceId]: { n } } });
    const rest = await drain(bob, page1.next_batch);
    expect(rest.pages.map((p) => p.length)).toEqual([100, 50]);
    const all = [page1.events, ...rest.pages].flat();
    expect(all.map((e) => e.content.n)).toEqual(Array.from({ length: 250 }, (_, n) => n));
    expect(all.map((e) => e.sender)).toEqual(all.map((e) => (Number(e.content.n) < 230 && Number(e.content.n) % 2 === 0 ? bob.userId : alice.userId)));
    // Once drained, next_batch is the current position again and everything is deleted.
    expect(toDevicePosition(rest.next_batch)).toBe(toDevicePosition((await syncToDevice(bob2)).next_batch));
    expect(await inboxSize(shard, HS, bob.userId, bob.deviceId)).toBe(0);
  });
});

describe('long-polling', () => {
  test('a waiting sync returns when a message for its device arrives', async () => {
    const { next_batch: since } = await drain(bob, (await syncToDevice(bob)).next_batch);
    const pending = sync(bob, { since, timeout: 60_000 }) as unknown as Promise<{ to_device?: { events: ToDeviceEvent[] } }>;
    await untilSyncWaits(shard, HS);
    await sendToDevice(alice, 'org.example.wake', { [bob.userId]: { [bob.deviceId]: { wake: true } } });
    const res = await pending;
    expect(res.to_device?.events).toEqual([{ sender: alice.userId, type: 'org.example.wake', content: { wake: true } }]);
  });
});
