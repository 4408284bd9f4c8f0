// A message's append runs on the lane's pipelined connection (src/db/pipeline.ts), where a
// lock wait is cut short by lock_timeout so the lane's other statements are not held up.
// The send must not fail because of that: the append runs again on the pool and waits
// there for the lock, and the event is stored once.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { PIPELINE_LOCK_TIMEOUT_MS } from '../../../src/db/pipeline.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, createRoom, register, roomPath, sendText, startRoomsShard, type Client } from './helpers.ts';

let shard: TestShard;
let tenant: TenantContext;
let alice: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, 'lockwait.test');
  alice = await register(shard, 'lockwait.test', 'alice');
});
afterAll(async () => {
  await shard?.close();
});

test('a send that waits longer than lock_timeout for the stream position still succeeds, once', async () => {
  const roomId = await createRoom(alice);
  await sendText(alice, roomId, 'before');
  let committedAt = 0;
  let sentAt = 0;
  let sending: Promise<string> | undefined;
  await tenant.db.transaction().execute(async (trx) => {
    // Holds the tenant's event stream position, as a state event's transaction does.
    await sql`UPDATE ${sql.table(`${tenant.schema}.stream_positions`)} SET position = position WHERE stream = 'events'`.execute(trx);
    sending = sendText(alice, roomId, 'waited').then((eventId) => {
      sentAt = performance.now();
      return eventId;
    });
    await new Promise((r) => setTimeout(r, PIPELINE_LOCK_TIMEOUT_MS + 500));
    expect(sentAt).toBe(0);
    committedAt = performance.now();
  });
  await sending;
  expect(sentAt).toBeGreaterThanOrEqual(committedAt);
  const messages = await alice.call('GET', roomPath(roomId, '/messages?dir=b&limit=5'));
  const bodies = ((messages.body as { chunk: unknown }).chunk as Array<{ type: string; content: { body?: string } }>).filter((e) => e.type === 'm.room.message').map((e) => e.content.body);
  expect(bodies).toEqual(['waited', 'before']);
}, 20_000);
