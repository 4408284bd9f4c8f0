// User data in /sync over HTTP: global and room account data (tags, m.fully_read), presence
// (visibility, set_presence), typing and receipts in rooms' ephemeral events (private
// receipts only for their user), rooms reported only for their user data, long-polls woken
// by user data, filters, and rooms joined since the last sync getting everything.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { currentContext } from './helpers.ts';
import { CS, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, sendText, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';

const HS = 'user-data-sync.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let carol: Client;
let roomId: string;

interface Ev {
  type: string;
  sender?: string;
  content: Record<string, unknown>;
}
interface SyncResult {
  next_batch: string;
  account_data?: { events: Ev[] };
  presence?: { events: Ev[] };
  rooms?: {
    join?: Record<string, { account_data?: { events: Ev[] }; ephemeral?: { events: Ev[] }; timeline?: { events: Ev[] } }>;
    leave?: Record<string, { account_data?: { events: Ev[] } }>;
  };
}

async function syncOf(client: Client, query: Record<string, string | number | boolean> = {}): Promise<SyncResult> {
  return (await sync(client, query)) as unknown as SyncResult;
}

function roomOf(res: SyncResult, room: string): { account_data?: { events: Ev[] }; ephemeral?: { events: Ev[] }; timeline?: { events: Ev[] } } | undefined {
  return res.rooms?.join?.[room];
}

function ephemeral(res: SyncResult, room: string, type: string): Ev | undefined {
  return roomOf(res, room)?.ephemeral?.events.find((e) => e.type === type);
}

async function untilWaiting(userId: string): Promise<void> {
  const waiting = async (): Promise<number> => (await currentContext(shard, HS)).notifier.waiting;
  for (let i = 0; i < 500 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await waiting(), `a sync of ${userId} waits`).toBeGreaterThan(0);
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((name) => register(shard, HS, name)))) as [Client, Client, Client];
  roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
});
afterAll(async () => shard?.close());

describe('initial sync', () => {
  test('has account data, tags, presence, receipts and typing', async () => {
    await alice.call('PUT', `${CS}/user/${enc(alice.userId)}/account_data/org.example.pref`, { a: 1 });
    await alice.call('PUT', `${CS}/user/${enc(alice.userId)}/rooms/${enc(roomId)}/tags/m.favourite`, { order: 0.1 });
    const eventId = await sendText(bob, roomId, 'hi');
    await alice.call('POST', roomPath(roomId, `/receipt/m.read/${enc(eventId)}`), {});
    await bob.call('PUT', roomPath(roomId, `/typing/${enc(bob.userId)}`), { typing: true, timeout: 60_000 });

    const res = await syncOf(alice);
    expect(res.next_batch).toMatch(/^s1_e\d+_a\d+_p\d+_r\d+_t\d+_d\d+_k\d+$/);
    expect(res.account_data?.events).toContainEqual({ type: 'org.example.pref', content: { a: 1 } });
    expect(roomOf(res, roomId)?.account_data?.events).toContainEqual({ type: 'm.tag', content: { tags: { 'm.favourite': { order: 0.1 } } } });
    expect(ephemeral(res, roomId, 'm.typing')?.content).toEqual({ user_ids: [bob.userId] });
    expect(ephemeral(res, roomId, 'm.receipt')?.content[eventId]).toMatchObject({ 'm.read': { [alice.userId]: { ts: expect.any(Number) } } });
    // The sync itself brought Alice online; her own presence is in it.
    expect(res.presence?.events.find((e) => e.sender === alice.userId)?.content).toMatchObject({ presence: 'online', displayname: 'alice' });
    await bob.call('PUT', roomPath(roomId, `/typing/${enc(bob.userId)}`), { typing: false });
  });

  test('presence only of users sharing a room', async () => {
    await carol.call('PUT', `${CS}/presence/${enc(carol.userId)}/status`, { presence: 'online' });
    await bob.call('PUT', `${CS}/presence/${enc(bob.userId)}/status`, { presence: 'online', status_msg: 'hello' });
    const senders = (await syncOf(alice)).presence?.events.map((e) => e.sender) ?? [];
    expect(senders).toContain(bob.userId);
    expect(senders).not.toContain(carol.userId);
  });

  test('set_presence=offline leaves presence alone; unavailable sets it', async () => {
    const dave = await register(shard, HS, 'dave');
    await syncOf(dave, { set_presence: 'offline' });
    expect((await dave.call('GET', `${CS}/presence/${enc(dave.userId)}/status`)).body).toMatchObject({ presence: 'offline' });
    await syncOf(dave, { set_presence: 'unavailable' });
    expect((await dave.call('GET', `${CS}/presence/${enc(dave.userId)}/status`)).body).toMatchObject({ presence: 'unavailable' });
    // A plain sync does not override an explicit unavailable.
    await syncOf(dave);
    expect((await dave.call('GET', `${CS}/presence/${enc(dave.userId)}/status`)).body).toMatchObject({ presence: 'unavailable' });
  });

  test('filters drop presence, account data and ephemeral events', async () => {
    const filter = JSON.stringify({ presence: { types: [] }, account_data: { not_types: ['org.example.pref'] }, room: { ephemeral: { types: [] }, account_data: { types: [] } } });
    const res = await syncOf(alice, { filter });
    expect(res.presence?.events ?? []).toEqual([]);
    expect((res.account_data?.events ?? []).map((e) => e.type)).not.toContain('org.example.pref');
    expect(roomOf(res, roomId)?.ephemeral?.events ?? []).toEqual([]);
    expect(roomOf(res, roomId)?.account_data?.events ?? []).toEqual([]);
  });
});

describe('incremental sync', () => {
  test('only what changed; a quiet room appears for its account data alone', async () => {
    const base = await syncOf(alice, { set_presence: 'offline' });
    await alice.call('PUT', `${CS}/user/${enc(alice.userId)}/rooms/${enc(roomId)}/tags/u.work`, {});
    await alice.call('PUT', `${CS}/user/${enc(alice.userId)}/account_data/org.example.other`, { b: 2 });
    const res = await syncOf(alice, { since: base.next_batch, set_presence: 'offline' });
    expect(res.account_data?.events).toEqual([{ type: 'org.example.other', content: { b: 2 } }]);
    const room = roomOf(res, roomId);
    expect(room?.timeline?.events ?? []).toEqual([]);
    expect(room?.account_data?.events).toEqual([{ type: 'm.tag', content: { tags: { 'm.favourite': { order: 0.1 }, 'u.work': {} } } }]);
    // Nothing new: the next incremental sync is empty.
    const again = await syncOf(alice, { since: res.next_batch, set_presence: 'offline' });
    expect(again.account_data).toBeUndefined();
    expect(again.rooms?.join ?? {}).toEqual({});
  });

  test('m.read.private reaches only its user; m.read reaches the room; m.fully_read is room account data', async () => {
    const eventId = await sendText(alice, roomId, 'private read');
    const aliceBase = await syncOf(alice, { set_presence: 'offline' });
    const bobBase = await syncOf(bob, { set_presence: 'offline' });
    await bob.call('POST', roomPath(roomId, '/read_markers'), { 'm.fully_read': eventId, 'm.read.private': eventId });
    const forBob = await syncOf(bob, { since: bobBase.next_batch, set_presence: 'offline' });
    expect(ephemeral(forBob, roomId, 'm.receipt')?.content[eventId]).toMatchObject({ 'm.read.private': { [bob.userId]: {} } });
    expect(roomOf(forBob, roomId)?.account_data?.events).toContainEqual({ type: 'm.fully_read', content: { event_id: eventId } });
    const forAlice = await syncOf(alice, { since: aliceBase.next_batch, set_presence: 'offline' });
    expect(JSON.stringify(forAlice)).not.toContain('m.read.private');
    await bob.call('POST', roomPath(roomId, `/receipt/m.read/${enc(eventId)}`), {});
    const public_ = await syncOf(alice, { since: forAlice.next_batch, set_presence: 'offline' });
    expect(ephemeral(public_, roomId, 'm.receipt')?.content[eventId]).toMatchObject({ 'm.read': { [bob.userId]: {} } });
  });

  test('a waiting sync is woken by typing and returns the typing event', async () => {
    const base = await syncOf(alice, { set_presence: 'offline' });
    const waiting = syncOf(alice, { since: base.next_batch, timeout: 20_000, set_presence: 'offline' });
    await untilWaiting(alice.userId);
    await bob.call('PUT', roomPath(roomId, `/typing/${enc(bob.userId)}`), { typing: true, timeout: 20_000 });
    const res = await waiting;
    expect(ephemeral(res, roomId, 'm.typing')?.content).toEqual({ user_ids: [bob.userId] });
    await bob.call('PUT', roomPath(roomId, `/typing/${enc(bob.userId)}`), { typing: false });
  });

  test('a waiting sync is woken by a presence change of someone sharing a room', async () => {
    const base = await syncOf(alice, { set_presence: 'offline' });
    const waiting = syncOf(alice, { since: base.next_batch, timeout: 20_000, set_presence: 'offline' });
    await untilWaiting(alice.userId);
    await bob.call('PUT', `${CS}/presence/${enc(bob.userId)}/status`, { presence: 'unavailable', status_msg: 'lunch' });
    const res = await waiting;
    expect(res.presence?.events.find((e) => e.sender === bob.userId)?.content).toMatchObject({ presence: 'unavailable', status_msg: 'lunch' });
  });

  test('a room joined since the last sync comes with its receipts and account data', async () => {
    const other = await createRoom(carol, { preset: 'public_chat' });
    const eventId = await sendText(carol, other, 'before bob');
    await carol.call('POST', roomPath(other, `/receipt/m.read/${enc(eventId)}`), {});
    await bob.call('PUT', `${CS}/user/${enc(bob.userId)}/rooms/${enc(other)}/account_data/org.example.note`, { n: 1 });
    const base = await syncOf(bob, { set_presence: 'offline' });
    await joinRoom(bob, other);
    const res = await syncOf(bob, { since: base.next_batch, set_presence: 'offline' });
    expect(ephemeral(res, other, 'm.receipt')?.content[eventId]).toMatchObject({ 'm.read': { [carol.userId]: {} } });
    expect(roomOf(res, other)?.account_data?.events).toContainEqual({ type: 'org.example.note', content: { n: 1 } });
    // Carol became visible: her presence comes along although it did not change.
    expect(res.presence?.events.map((e) => e.sender)).toContain(carol.userId);
  });

  test('a left room reports its account data changes', async () => {
    const other = await createRoom(carol, { preset: 'public_chat' });
    await joinRoom(alice, other);
    const base = await syncOf(alice, { set_presence: 'offline' });
    await alice.call('POST', roomPath(other, '/leave'), {});
    await alice.call('PUT', `${CS}/user/${enc(alice.userId)}/rooms/${enc(other)}/tags/u.old`, {});
    const res = await syncOf(alice, { since: base.next_batch, set_presence: 'offline' });
    expect(res.rooms?.leave?.[other]?.account_data?.events).toContainEqual({ type: 'm.tag', content: { tags: { 'u.old': {} } } });
  });
});
