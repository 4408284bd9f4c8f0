// The syncs one event wakes start together: storage's syncStarts reads several devices in
// one statement (a lateral join over the per-device statement). Each device's part must be
// exactly what it reads alone.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { syncStarts, type SyncStart, type SyncStartRequest } from '../../../src/storage/sync-head.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, sendText, startRoomsShard, type Client } from './helpers.ts';

const SERVER = 'sync-start-batch.example';
const STREAMS = ['events', 'account_data', 'presence', 'receipts', 'to_device', 'device_lists'] as const;
let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;
let carol: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client];
});

afterAll(async () => {
  await shard.stop();
});

const plain = (start: SyncStart<(typeof STREAMS)[number]>): unknown => ({
  ...start,
  keyStock: { oneTimeKeys: [...start.keyStock.oneTimeKeys], unusedFallbacks: start.keyStock.unusedFallbacks },
  unread: [...start.unread].map(([room, threads]) => [room, [...threads]]),
  unreadRooms: [...start.unreadRooms].sort(),
});

describe('syncStarts', () => {
  test('several devices in one statement read what each reads alone', async () => {
    const shared = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, shared);
    await joinRoom(carol, shared);
    const bobsOnly = await createRoom(bob, { preset: 'public_chat' });
    const since = Number((await tenant.db.selectFrom('stream_positions').select('position').where('stream', '=', 'events').executeTakeFirstOrThrow()).position);
    await sendText(alice, shared, 'hello');
    const root = await sendText(carol, shared, 'root');
    await alice.call('PUT', roomPath(shared, `/send/m.room.message/t${Date.now()}`), { msgtype: 'm.text', body: 'in thread', 'm.relates_to': { rel_type: 'm.thread', event_id: root } });
    await sendText(bob, bobsOnly, 'alone');
    const keys = await bob.call('POST', `${CS}/keys/upload`, {});
    expect(keys.status).toBe(200);
    await carol.call('POST', roomPath(shared, `/receipt/m.read/${enc(root)}`), { thread_id: 'main' });

    const requests: SyncStartRequest[] = [
      { userId: alice.userId, deviceId: alice.deviceId, since },
      { userId: bob.userId, deviceId: bob.deviceId, since },
      { userId: carol.userId, deviceId: carol.deviceId, since },
      { userId: bob.userId, deviceId: bob.deviceId, since: undefined },
      { userId: '@nobody:sync-start-batch.example', deviceId: 'NONE', since },
    ];
    const together = await syncStarts(tenant, STREAMS, requests);
    expect(together).toHaveLength(requests.length);
    for (const [i, request] of requests.entries()) {
      const [alone] = await syncStarts(tenant, STREAMS, [request]);
      expect(plain(together[i] as SyncStart<(typeof STREAMS)[number]>)).toEqual(plain(alone as SyncStart<(typeof STREAMS)[number]>));
    }
    // And they differ where the users differ (the test could not pass on identical rows).
    expect(together[1]?.memberships.map((m) => m.roomId).sort()).toEqual([shared, bobsOnly].sort());
    expect(together[0]?.memberships.map((m) => m.roomId)).toEqual([shared]);
    expect(together[0]?.unread.get(shared)).toBeDefined();
    expect(together[3]?.unreadRooms.size).toBe(0);
    expect(together[4]?.memberships).toEqual([]);
  });
});
