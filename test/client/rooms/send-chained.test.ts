// A busy room's messages are built while the previous one commits (services/rooms/
// create-local-event.ts, beginPersist): each is built on the cached head the one before
// advanced, and their appends run in order on the pipelined connection. Whatever happens,
// the room's DAG stays one line (each message cites the one before, depths count up), every
// accepted message is stored once, and a failure in the middle of a chain (here a repeated
// transaction ID) makes the messages built on it be built again, not lost.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, createRoom, joinRoom, register, roomPath, startRoomsShard, txn, type Client } from './helpers.ts';

const HS = 'chained.example';
let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, HS);
  alice = await register(shard, HS, 'alice');
  bob = await register(shard, HS, 'bob');
});
afterAll(async () => shard?.close());

interface StoredMessage {
  eventId: string;
  body: string;
  prevEvents: string[];
  depth: number;
}

/** The room's events in stream order, from the database. */
async function storedEvents(roomId: string): Promise<Array<StoredMessage & { type: string }>> {
  const rows = await sql<{ event_id: string; pdu: { type: string; content: { body?: string }; prev_events: string[]; depth: number } }>`
    SELECT event_id, pdu FROM ${sql.table(`${tenant.schema}.events`)} WHERE room_id = ${roomId} ORDER BY stream_ordering`.execute(tenant.db);
  return rows.rows.map((r) => ({ eventId: r.event_id, type: r.pdu.type, body: r.pdu.content.body ?? '', prevEvents: r.pdu.prev_events, depth: r.pdu.depth }));
}

/** The DAG is one line: every event cites exactly the one stored before it, one deeper. */
function expectLinear(events: readonly StoredMessage[]): void {
  for (let i = 1; i < events.length; i++) {
    const [before, event] = [events[i - 1] as StoredMessage, events[i] as StoredMessage];
    expect(event.prevEvents).toEqual([before.eventId]);
    expect(event.depth).toBe(before.depth + 1);
  }
}

function send(client: Client, roomId: string, body: string, txnId = txn()): Promise<{ status: number; eventId: string }> {
  return client.call('PUT', roomPath(roomId, `/send/m.room.message/${txnId}`), { msgtype: 'm.text', body }).then((res) => ({ status: res.status, eventId: (res.body as { event_id: string }).event_id }));
}

test('many messages into one room at once: all stored once, in one line', async () => {
  const roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => send(i % 2 === 0 ? alice : bob, roomId, `message ${i}`)));
  expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  const events = await storedEvents(roomId);
  expectLinear(events);
  const messages = events.filter((e) => e.type === 'm.room.message');
  expect(messages.map((m) => m.body).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `message ${i}`).sort());
  expect(new Set(results.map((r) => r.eventId))).toEqual(new Set(messages.map((m) => m.eventId)));
});

test('a failure in the middle of a chain: the messages built on it are built again', async () => {
  const roomId = await createRoom(alice, { preset: 'public_chat' });
  const repeated = txn();
  const first = await send(alice, roomId, 'first', repeated);
  expect(first.status).toBe(200);
  for (let round = 0; round < 5; round++) {
    // The repeated transaction ID fails at the unique index after the message before it was
    // sent and before the ones after it commit; it answers with the first event.
    const results = await Promise.all([
      send(alice, roomId, `r${round} before`),
      send(alice, roomId, 'first again', repeated),
      send(alice, roomId, `r${round} after 1`),
      send(bob, roomId, `r${round} after 2`).catch(() => ({ status: 403, eventId: '' })),
      send(alice, roomId, `r${round} after 3`),
    ]);
    expect(results[1]).toEqual({ status: 200, eventId: first.eventId });
    for (const i of [0, 2, 4]) expect(results[i]?.status).toBe(200);
  }
  const events = await storedEvents(roomId);
  expectLinear(events);
  const bodies = events.filter((e) => e.type === 'm.room.message').map((e) => e.body);
  expect(bodies.filter((b) => b === 'first' || b === 'first again')).toEqual(['first']);
  for (let round = 0; round < 5; round++) for (const suffix of ['before', 'after 1', 'after 3']) expect(bodies.filter((b) => b === `r${round} ${suffix}`)).toHaveLength(1);
  // Bob is not in this room: his sends are refused and nothing of them is stored.
  expect(bodies.some((b) => b.endsWith('after 2'))).toBe(false);
});

test('a state event among messages in flight: it waits for them, and the line holds', async () => {
  const roomId = await createRoom(alice, { preset: 'public_chat' });
  const sends = Array.from({ length: 10 }, (_, i) => send(alice, roomId, `m${i}`));
  const topic = alice.call('PUT', roomPath(roomId, '/state/m.room.topic'), { topic: 'after the messages' });
  const more = Array.from({ length: 10 }, (_, i) => send(alice, roomId, `n${i}`));
  const results = await Promise.all([...sends, ...more]);
  expect(results.map((r) => r.status)).toEqual(results.map(() => 200));
  expect((await topic).status).toBe(200);
  const events = await storedEvents(roomId);
  expectLinear(events);
  const messages = events.filter((e) => e.type === 'm.room.message').map((e) => e.body);
  expect(messages.sort()).toEqual([...Array.from({ length: 10 }, (_, i) => `m${i}`), ...Array.from({ length: 10 }, (_, i) => `n${i}`)].sort());
  expect(events.filter((e) => e.type === 'm.room.topic')).toHaveLength(1);
  const state = await alice.call('GET', roomPath(roomId, '/state/m.room.topic'));
  expect(state.body).toEqual({ topic: 'after the messages' });
});
