// The send path's cached room head (services/rooms/room-head.ts): events build on the
// cached extremities and state, a state change takes effect for the next event at once, and
// a head made stale by another shard writing the same room is detected and rebuilt, so the
// DAG stays linear and the auth rules see the other shard's changes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { startShard, type Shard } from '../../../src/shard.ts';
import { getForwardExtremities } from '../../../src/storage/rooms/events.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { NO_RATE_LIMITS } from '../../helpers/limits.ts';
import { TEST_ADMIN_TOKEN, type TestShard } from '../../helpers/shard.ts';
import { CS, createOpenTenant, createRoom, register, sendText, startRoomsShard, type Client } from './helpers.ts';
import { callTenant } from '../../helpers/http.ts';

const SERVER = 'head.example';
let first: TestShard;
let second: Shard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-head-'));

beforeAll(async () => {
  first = await startRoomsShard();
  tenant = await createOpenTenant(first, SERVER);
  second = await startShard(
    {
      ...loadConfig({}),
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      adminToken: TEST_ADMIN_TOKEN,
      dataDir,
      databaseUrl: first.testDatabase.url,
      shardName: 'second',
      rateLimits: NO_RATE_LIMITS,
    },
    { log: pino({ level: 'silent' }) },
  );
  alice = await register(first, SERVER, 'alice');
  bob = await register(first, SERVER, 'bob');
});
afterAll(async () => {
  await second?.stop();
  await first?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A call to the tenant through the second shard. */
async function viaSecond(client: Client, method: string, path: string, body?: unknown) {
  return callTenant(second.url, SERVER, path, { method, token: client.token, ...(body !== undefined ? { body } : {}) });
}

async function prevEventsOf(eventId: string): Promise<string[]> {
  const row = await tenant.db.selectFrom('events').select('prev_event_ids').where('event_id', '=', eventId).executeTakeFirst();
  return row?.prev_event_ids ?? [];
}

describe('one shard', () => {
  test('each event builds on the one before; a state change applies to the next event at once', async () => {
    const roomId = await createRoom(alice, { preset: 'private_chat' });
    const first1 = await sendText(alice, roomId, 'one');
    const second1 = await sendText(alice, roomId, 'two');
    expect(await prevEventsOf(second1)).toEqual([first1]);
    expect(await getForwardExtremities(tenant.db, roomId)).toEqual([second1]);

    // Bob is not invited: refused. Invited and joined: allowed. Kicked: refused again.
    const refused = await bob.call('PUT', `${CS}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'x' });
    expect(refused.status).toBe(403);
    expect((await alice.call('POST', `${CS}/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: bob.userId })).status).toBe(200);
    expect((await bob.call('POST', `${CS}/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    await sendText(bob, roomId, 'hello');
    expect((await alice.call('POST', `${CS}/rooms/${encodeURIComponent(roomId)}/kick`, { user_id: bob.userId })).status).toBe(200);
    const afterKick = await bob.call('PUT', `${CS}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/t2`, { msgtype: 'm.text', body: 'x' });
    expect(afterKick.status).toBe(403);
  });

  test('a repeated transaction ID returns the earlier event, also after the sender left', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    expect((await bob.call('POST', `${CS}/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    const path = `${CS}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/same-txn`;
    const once = await bob.call('PUT', path, { msgtype: 'm.text', body: 'once' });
    const twice = await bob.call('PUT', path, { msgtype: 'm.text', body: 'once' });
    expect(twice.body).toEqual(once.body);
    expect((await bob.call('POST', `${CS}/rooms/${encodeURIComponent(roomId)}/leave`, {})).status).toBe(200);
    const afterLeaving = await bob.call('PUT', path, { msgtype: 'm.text', body: 'once' });
    expect(afterLeaving.status).toBe(200);
    expect(afterLeaving.body).toEqual(once.body);
  });
});

describe('two shards writing one room', () => {
  test('a head made stale by the other shard is rebuilt: the DAG stays linear', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    const a1 = await sendText(alice, roomId, 'from the first shard');
    const b1 = await viaSecond(alice, 'PUT', `${CS}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/s2-1`, { msgtype: 'm.text', body: 'from the second shard' });
    expect(b1.status).toBe(200);
    const b1Id = (b1.body as { event_id: string }).event_id;
    expect(await prevEventsOf(b1Id)).toEqual([a1]);
    // The first shard's cached head still ends at a1: the write must notice and rebuild.
    const a2 = await sendText(alice, roomId, 'back on the first shard');
    expect(await prevEventsOf(a2)).toEqual([b1Id]);
    expect(await getForwardExtremities(tenant.db, roomId)).toEqual([a2]);
  });

  test('a membership change made on the other shard binds the first shard at once', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    expect((await bob.call('POST', `${CS}/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    await sendText(bob, roomId, 'bob is here'); // the first shard caches the head with bob joined
    const kicked = await viaSecond(alice, 'POST', `${CS}/rooms/${encodeURIComponent(roomId)}/kick`, { user_id: bob.userId });
    expect(kicked.status).toBe(200);
    const refused = await bob.call('PUT', `${CS}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/after-kick`, { msgtype: 'm.text', body: 'x' });
    expect(refused.status).toBe(403);
  });
});
