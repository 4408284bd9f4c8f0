// Typing notifications and receipts over HTTP: who may send them, validation, expiry,
// waking room members' syncs, the sync parts typingSince() / receiptsSince(), private
// receipts visible only to their user, threaded receipts, and the fully read marker via
// /receipt and /read_markers.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { receiptsSince } from '../../../src/services/sync-parts/receipts.ts';
import { currentTypingPosition, typingSince } from '../../../src/services/sync-parts/typing.ts';
import { typingOf } from '../../../src/services/typing/typing-of.ts';
import { streamPositions } from '../../../src/storage/sync-head.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { currentContext } from './helpers.ts';
import { call, CS, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, sendText, startRoomsShard, txn, type Client } from '../rooms/helpers.ts';

const HS = 'ephemeral.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let carol: Client;
let roomId: string;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((name) => register(shard, HS, name)))) as [Client, Client, Client];
  roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
});
afterAll(async () => shard?.close());

const ctx = (): Promise<TenantContext> => currentContext(shard, HS);

const typingPath = (room: string, userId: string): string => roomPath(room, `/typing/${enc(userId)}`);
const receiptPath = (room: string, type: string, eventId: string): string => roomPath(room, `/receipt/${enc(type)}/${enc(eventId)}`);

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  expect(await check(), what).toBe(true);
}

async function receiptsPosition(): Promise<number> {
  return (await streamPositions(await ctx(), ['receipts'])).receipts;
}

describe('typing', () => {
  test('start and stop; the room’s m.typing lists who types', async () => {
    const before = currentTypingPosition(await ctx());
    expect((await alice.call('PUT', typingPath(roomId, alice.userId), { typing: true, timeout: 30_000 })).body).toEqual({});
    expect((await bob.call('PUT', typingPath(roomId, bob.userId), { typing: true, timeout: 30_000 })).status).toBe(200);
    expect(typingSince(await ctx(), [roomId], before).get(roomId)).toEqual({ type: 'm.typing', content: { user_ids: [alice.userId, bob.userId] } });
    // An initial sync sees rooms where someone types.
    expect(typingSince(await ctx(), [roomId], null).get(roomId)?.content.user_ids).toHaveLength(2);
    const middle = currentTypingPosition(await ctx());
    // Renewing changes nothing others see.
    await alice.call('PUT', typingPath(roomId, alice.userId), { typing: true, timeout: 30_000 });
    expect(typingSince(await ctx(), [roomId], middle).size).toBe(0);
    await alice.call('PUT', typingPath(roomId, alice.userId), { typing: false });
    await bob.call('PUT', typingPath(roomId, bob.userId), { typing: false });
    expect(typingSince(await ctx(), [roomId], middle).get(roomId)?.content.user_ids).toEqual([]);
    expect(typingSince(await ctx(), [roomId], null).size).toBe(0);
  });

  test('typing expires after its timeout and wakes the room’s members', async () => {
    const since = currentTypingPosition(await ctx());
    await alice.call('PUT', typingPath(roomId, alice.userId), { typing: true, timeout: 50 });
    const bobWaits = (await ctx()).notifier.wait(bob.userId, 10_000);
    await until(async () => typingOf(await ctx()).typing(roomId, Date.now()).length === 0, 'typing expired');
    expect(await bobWaits.promise).toBe(true);
    const changed = typingSince(await ctx(), [roomId], since);
    expect(changed.get(roomId)?.content.user_ids).toEqual([]);
  });

  test('starting to type wakes joined members but not outsiders', async () => {
    const bobWaits = (await ctx()).notifier.wait(bob.userId, 10_000);
    const carolWaits = (await ctx()).notifier.wait(carol.userId, 10_000);
    await alice.call('PUT', typingPath(roomId, alice.userId), { typing: true, timeout: 10_000 });
    expect(await bobWaits.promise).toBe(true);
    carolWaits.cancel();
    expect(await carolWaits.promise).toBe(false);
    await alice.call('PUT', typingPath(roomId, alice.userId), { typing: false });
  });

  test('only joined members type, only for themselves', async () => {
    for (const [client, userId] of [
      [carol, carol.userId],
      [bob, alice.userId],
    ] as const) {
      const res = await client.call('PUT', typingPath(roomId, userId), { typing: true, timeout: 1000 });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    }
    const unknownRoom = await alice.call('PUT', typingPath(`!nope:${HS}`, alice.userId), { typing: true, timeout: 1000 });
    expect(unknownRoom.status).toBe(403);
  });

  test('invalid bodies', async () => {
    for (const [body, errcode] of [
      [{}, 'M_MISSING_PARAM'],
      [{ typing: 'yes' }, 'M_BAD_JSON'],
      [{ typing: true, timeout: 'long' }, 'M_BAD_JSON'],
      [{ typing: true, timeout: 1.5 }, 'M_BAD_JSON'],
      [{ typing: true, timeout: -1 }, 'M_INVALID_PARAM'],
    ] as const) {
      const res = await alice.call('PUT', typingPath(roomId, alice.userId), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
    const badRoom = await alice.call('PUT', typingPath('not-a-room', alice.userId), { typing: false });
    expect(badRoom.status).toBe(400);
    expect(badRoom.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });
});

describe('receipts', () => {
  test('m.read is visible to the room; m.read.private only to its user', async () => {
    const since = await receiptsPosition();
    const eventId = await sendText(alice, roomId, 'read me');
    expect((await bob.call('POST', receiptPath(roomId, 'm.read', eventId), {})).body).toEqual({});
    expect((await alice.call('POST', receiptPath(roomId, 'm.read.private', eventId), {})).status).toBe(200);
    const upTo = await receiptsPosition();
    const forBob = (await receiptsSince(await ctx(), bob.userId, [roomId], since, upTo)).get(roomId);
    expect(Object.keys(forBob?.content[eventId] ?? {})).toEqual(['m.read']);
    expect(forBob?.content[eventId]?.['m.read']?.[bob.userId]?.ts).toEqual(expect.any(Number));
    const forAlice = (await receiptsSince(await ctx(), alice.userId, [roomId], since, upTo)).get(roomId);
    expect(Object.keys(forAlice?.content[eventId] ?? {}).sort()).toEqual(['m.read', 'm.read.private']);
    expect(Object.keys(forAlice?.content[eventId]?.['m.read.private'] ?? {})).toEqual([alice.userId]);
    // An initial sync has every receipt of the room; carol (not a member) sees no private one.
    const initial = (await receiptsSince(await ctx(), carol.userId, [roomId], null, upTo)).get(roomId);
    expect(JSON.stringify(initial)).not.toContain('m.read.private');
  });

  test('m.read wakes the room; m.read.private wakes only its user', async () => {
    const eventId = await sendText(alice, roomId, 'wake');
    const aliceWaits = (await ctx()).notifier.wait(alice.userId, 10_000);
    await bob.call('POST', receiptPath(roomId, 'm.read', eventId), {});
    expect(await aliceWaits.promise).toBe(true);
    const aliceAgain = (await ctx()).notifier.wait(alice.userId, 10_000);
    const bobWaits = (await ctx()).notifier.wait(bob.userId, 10_000);
    await bob.call('POST', receiptPath(roomId, 'm.read.private', eventId), {});
    expect(await bobWaits.promise).toBe(true);
    aliceAgain.cancel();
    expect(await aliceAgain.promise).toBe(false);
  });

  test('receipts only move forward', async () => {
    const older = await sendText(alice, roomId, 'older');
    const newer = await sendText(alice, roomId, 'newer');
    await bob.call('POST', receiptPath(roomId, 'm.read', newer), {});
    const since = await receiptsPosition();
    expect((await bob.call('POST', receiptPath(roomId, 'm.read', older), {})).status).toBe(200);
    const upTo = await receiptsPosition();
    expect((await receiptsSince(await ctx(), bob.userId, [roomId], since, upTo)).size).toBe(0);
    const all = (await receiptsSince(await ctx(), bob.userId, [roomId], null, upTo)).get(roomId);
    expect(all?.content[newer]?.['m.read']).toHaveProperty(bob.userId);
    expect(all?.content[older]?.['m.read']?.[bob.userId]).toBeUndefined();
  });

  test('a request without a body is accepted (older clients)', async () => {
    const eventId = await sendText(alice, roomId, 'no body');
    const res = await call(shard, HS, 'POST', receiptPath(roomId, 'm.read', eventId), { token: bob.token });
    expect(res.status, res.text).toBe(200);
  });

  test('threaded receipts: "main", the thread root, events in the thread', async () => {
    const root = await sendText(alice, roomId, 'root');
    const inThread = (
      await alice.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), {
        msgtype: 'm.text',
        body: 'in thread',
        'm.relates_to': { rel_type: 'm.thread', event_id: root },
      })
    ).body as { event_id: string };
    const elsewhere = await sendText(alice, roomId, 'not in thread');
    const since = await receiptsPosition();
    expect((await bob.call('POST', receiptPath(roomId, 'm.read', inThread.event_id), { thread_id: root })).status).toBe(200);
    expect((await bob.call('POST', receiptPath(roomId, 'm.read', elsewhere), { thread_id: 'main' })).status).toBe(200);
    const upTo = await receiptsPosition();
    const event = (await receiptsSince(await ctx(), bob.userId, [roomId], since, upTo)).get(roomId);
    expect(event?.content[inThread.event_id]?.['m.read']?.[bob.userId]).toMatchObject({ thread_id: root });
    expect(event?.content[elsewhere]?.['m.read']?.[bob.userId]).toMatchObject({ thread_id: 'main' });
    // The same user keeps one receipt per thread: unthreaded, main and the thread coexist.
    const unthreaded = await bob.call('POST', receiptPath(roomId, 'm.read', elsewhere), {});
    expect(unthreaded.status).toBe(200);

    for (const body of [{ thread_id: '' }, { thread_id: 7 }, { thread_id: 'not-an-event' }]) {
      const res = await bob.call('POST', receiptPath(roomId, 'm.read', elsewhere), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    }
    const wrongThread = await bob.call('POST', receiptPath(roomId, 'm.read', elsewhere), { thread_id: root });
    expect(wrongThread.status).toBe(400);
    expect(wrongThread.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    const fullyReadThreaded = await bob.call('POST', receiptPath(roomId, 'm.fully_read', elsewhere), { thread_id: 'main' });
    expect(fullyReadThreaded.status).toBe(400);
  });

  test('errors: receipt type, event, membership', async () => {
    const eventId = await sendText(alice, roomId, 'target');
    const otherRoom = await createRoom(carol);
    const otherEvent = await sendText(carol, otherRoom, 'elsewhere');
    const badType = await bob.call('POST', receiptPath(roomId, 'm.unread', eventId), {});
    expect(badType.status).toBe(400);
    expect(badType.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    for (const id of [`$unknown:${HS}`, otherEvent]) {
      const res = await bob.call('POST', receiptPath(roomId, 'm.read', id), {});
      expect(res.status, id).toBe(404);
      expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    }
    const notMember = await carol.call('POST', receiptPath(roomId, 'm.read', eventId), {});
    expect(notMember.status).toBe(403);
    expect(notMember.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    const malformed = await bob.call('POST', receiptPath(roomId, 'm.read', 'no-sigil'), {});
    expect(malformed.status).toBe(400);
  });
});

describe('fully read markers', () => {
  const markerPath = (client: Client): string => `${CS}/user/${enc(client.userId)}/rooms/${enc(roomId)}/account_data/m.fully_read`;

  test('/receipt/m.fully_read sets the room account data m.fully_read, only forwards', async () => {
    const first = await sendText(alice, roomId, 'one');
    const second = await sendText(alice, roomId, 'two');
    expect((await bob.call('POST', receiptPath(roomId, 'm.fully_read', second), {})).status).toBe(200);
    expect((await bob.call('GET', markerPath(bob))).body).toEqual({ event_id: second });
    await bob.call('POST', receiptPath(roomId, 'm.fully_read', first), {});
    expect((await bob.call('GET', markerPath(bob))).body).toEqual({ event_id: second });
  });

  test('/read_markers sets the marker and both receipts at once', async () => {
    const eventId = await sendText(alice, roomId, 'all at once');
    const since = await receiptsPosition();
    const res = await bob.call('POST', roomPath(roomId, '/read_markers'), { 'm.fully_read': eventId, 'm.read': eventId, 'm.read.private': eventId });
    expect(res.status, res.text).toBe(200);
    expect((await bob.call('GET', markerPath(bob))).body).toEqual({ event_id: eventId });
    const upTo = await receiptsPosition();
    const receipts = (await receiptsSince(await ctx(), bob.userId, [roomId], since, upTo)).get(roomId);
    expect(Object.keys(receipts?.content[eventId] ?? {}).sort()).toEqual(['m.read', 'm.read.private']);
    expect((await bob.call('POST', roomPath(roomId, '/read_markers'), {})).status).toBe(200);
  });

  test('/read_markers validates everything before writing', async () => {
    const eventId = await sendText(alice, roomId, 'valid');
    const before = (await bob.call('GET', markerPath(bob))).body;
    const unknown = await bob.call('POST', roomPath(roomId, '/read_markers'), { 'm.fully_read': eventId, 'm.read': `$missing:${HS}` });
    expect(unknown.status).toBe(404);
    expect((await bob.call('GET', markerPath(bob))).body).toEqual(before);
    const badType = await bob.call('POST', roomPath(roomId, '/read_markers'), { 'm.fully_read': 5 });
    expect(badType.status).toBe(400);
    expect(badType.body).toMatchObject({ errcode: 'M_BAD_JSON' });
    const notMember = await carol.call('POST', roomPath(roomId, '/read_markers'), { 'm.fully_read': eventId });
    expect(notMember.status).toBe(403);
  });
});
