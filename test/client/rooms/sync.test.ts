// GET /sync over HTTP: initial and incremental syncs, long-polling, limited timelines and
// gap filling, invites, joins, departures, knocks, history visibility, full_state and
// tenant isolation; every response checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { setAccountData } from '../../../src/services/account-data/set-account-data.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import {
  CS,
  createOpenTenant,
  createRoom,
  enc,
  invite,
  joinRoom,
  register,
  roomPath,
  sendText,
  startRoomsShard,
  sync,
  txn,
  type Client,
  type EventBody,
} from './helpers.ts';

const SERVER = 'sync.example';
const OTHER = 'other-sync.example';
let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;
let carol: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
  await createOpenTenant(shard, OTHER);
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client];
});
afterAll(async () => shard?.close());

function bodies(events: EventBody[] | undefined): unknown[] {
  return (events ?? []).filter((e) => e.type === 'm.room.message').map((e) => e.content.body);
}

/** Resolves once `userId` has a /sync waiting on the tenant's notifier. */
async function untilWaiting(count = 1): Promise<void> {
  for (let i = 0; i < 500 && tenant.notifier.waiting < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(tenant.notifier.waiting).toBeGreaterThanOrEqual(count);
}

describe('initial and incremental sync', () => {
  test('an initial sync has every joined room with state, timeline, summary and counts', async () => {
    const roomId = await createRoom(alice, { name: 'Initial', preset: 'public_chat' });
    await joinRoom(bob, roomId);
    await sendText(alice, roomId, 'first');
    const res = await sync(alice);
    expect(res.next_batch).toMatch(/^s1_e\d+(_[a-z]+\d+)*$/);
    const room = res.rooms?.join?.[roomId];
    expect(room).toBeDefined();
    expect(bodies(room?.timeline.events)).toEqual(['first']);
    expect(room?.summary).toEqual({ 'm.heroes': [bob.userId], 'm.joined_member_count': 2, 'm.invited_member_count': 0 });
    expect(room?.unread_notifications).toEqual({ highlight_count: 0, notification_count: 0 });
    // State is the state at the start of the timeline and never repeats timeline events.
    const timelineIds = new Set(room?.timeline.events.map((e) => e.event_id));
    const all = [...(room?.state.events ?? []), ...(room?.timeline.events ?? [])];
    expect(room?.state.events.some((e) => timelineIds.has(e.event_id))).toBe(false);
    expect(all.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Initial' });
    expect(all.filter((e) => e.type === 'm.room.member').map((e) => e.state_key).sort()).toEqual([alice.userId, bob.userId].sort());
    // Events in sync carry no room_id.
    expect(room?.timeline.events.every((e) => !('room_id' in e))).toBe(true);
  });

  test('an incremental sync has just what is new; nothing new means no rooms', async () => {
    const roomId = await createRoom(alice);
    const first = await sync(alice);
    const quiet = await sync(alice, { since: first.next_batch });
    expect(quiet.rooms?.join ?? {}).toEqual({});
    const eventId = await sendText(alice, roomId, 'new');
    const next = await sync(alice, { since: first.next_batch });
    const room = next.rooms?.join?.[roomId];
    expect(room?.timeline.events.map((e) => e.event_id)).toEqual([eventId]);
    expect(room?.timeline.limited).toBe(false);
    expect(room?.state.events).toEqual([]);
    expect(room?.timeline.events[0]?.unsigned?.transaction_id).toBeDefined();
    expect(Object.keys(next.rooms?.join ?? {})).toEqual([roomId]);
    const after = await sync(alice, { since: next.next_batch });
    expect(after.rooms?.join?.[roomId]).toBeUndefined();
  });

  test('full_state returns the whole state on an incremental sync', async () => {
    const roomId = await createRoom(alice, { name: 'Full' });
    const first = await sync(alice);
    await sendText(alice, roomId, 'x');
    const full = await sync(alice, { since: first.next_batch, full_state: true });
    const room = full.rooms?.join?.[roomId];
    expect(bodies(room?.timeline.events)).toEqual(['x']);
    expect(room?.state.events.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Full' });
    // Every joined room is there, changed or not.
    const rooms = await alice.call('GET', `${CS}/joined_rooms`);
    expect(Object.keys(full.rooms?.join ?? {}).sort()).toEqual([...(rooms.body as { joined_rooms: string[] }).joined_rooms].sort());
  });

  test('errors: bad since, timeout, full_state, set_presence, filter; no token', async () => {
    for (const [query, code] of [
      ['since=garbage', 'M_INVALID_PARAM'],
      ['timeout=soon', 'M_INVALID_PARAM'],
      ['full_state=yes', 'M_INVALID_PARAM'],
      ['set_presence=busy', 'M_INVALID_PARAM'],
      ['filter=%7Bnope', 'M_NOT_JSON'],
      [`filter=${enc('{"room":{"timeline":{"limit":"x"}}}')}`, 'M_BAD_JSON'],
      ['filter=12345', 'M_INVALID_PARAM'],
    ] as const) {
      const res = await alice.call('GET', `${CS}/sync?${query}`);
      expect(res.status, query).toBe(400);
      expect((res.body as { errcode: string }).errcode, query).toBe(code);
    }
    const ok = await alice.call('GET', `${CS}/sync?set_presence=offline&use_state_after=false`);
    expect(ok.status).toBe(200);
    const { call } = await import('./helpers.ts');
    const noToken = await call(shard, SERVER, 'GET', `${CS}/sync`);
    expect(noToken.status).toBe(401);
    expect((noToken.body as { errcode: string }).errcode).toBe('M_MISSING_TOKEN');
  });
});

describe('long-polling', () => {
  test('a waiting sync is woken by another user’s message and returns it before its timeout', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const since = (await sync(bob)).next_batch;
    // The timeout outlasts the test's own: only a wake-up can make this sync return in time.
    const waiting = sync(bob, { since, timeout: 120_000 });
    await untilWaiting();
    const eventId = await sendText(alice, roomId, 'wake up');
    const res = await waiting;
    expect(res.rooms?.join?.[roomId]?.timeline.events.map((e) => e.event_id)).toContain(eventId);
    expect(res.next_batch).not.toBe(since);
  });

  test('with nothing for the user it returns empty when the timeout passes; others’ rooms do not end the wait', async () => {
    const mine = await createRoom(carol);
    const theirs = await createRoom(alice);
    const since = (await sync(carol)).next_batch;
    const waiting = sync(carol, { since, timeout: 400 });
    await sendText(alice, theirs, 'not for carol');
    const res = await waiting;
    expect(res.rooms?.join ?? {}).toEqual({});
    expect(res.rooms?.join?.[mine]).toBeUndefined();
    // The empty response's token is good for the next sync.
    await sendText(carol, mine, 'now');
    const next = await sync(carol, { since: res.next_batch });
    expect(bodies(next.rooms?.join?.[mine]?.timeline.events)).toEqual(['now']);
  });

  test('an invite wakes the invitee', async () => {
    const since = (await sync(carol)).next_batch;
    const waiting = sync(carol, { since, timeout: 120_000 });
    await untilWaiting();
    const roomId = await createRoom(alice);
    await invite(alice, roomId, carol.userId);
    const res = await waiting;
    // The wake-up may come from an earlier event; keep syncing until the invite shows.
    let invites = res.rooms?.invite ?? {};
    let token = res.next_batch;
    while (!invites[roomId]) {
      const next = await sync(carol, { since: token, timeout: 5_000 });
      invites = next.rooms?.invite ?? {};
      token = next.next_batch;
    }
    expect(invites[roomId]).toBeDefined();
  });
});

describe('limited timelines', () => {
  test('a gap gives limited, prev_batch, the state delta; /messages from since to prev_batch fills it', async () => {
    const roomId = await createRoom(alice, { name: 'Gap' });
    const since = (await sync(alice)).next_batch;
    await sendText(alice, roomId, 'g0');
    await alice.call('PUT', roomPath(roomId, '/state/m.room.topic'), { topic: 'changed in the gap' });
    for (let i = 1; i < 6; i++) await sendText(alice, roomId, `g${i}`);
    const filter = JSON.stringify({ room: { timeline: { limit: 3 } } });
    const res = await sync(alice, { since, filter });
    const room = res.rooms?.join?.[roomId];
    expect(bodies(room?.timeline.events)).toEqual(['g3', 'g4', 'g5']);
    expect(room?.timeline.limited).toBe(true);
    expect(room?.state.events.map((e) => [e.type, e.content])).toEqual([['m.room.topic', { topic: 'changed in the gap' }]]);

    const gap = await alice.call('GET', roomPath(roomId, `/messages?dir=f&from=${enc(since)}&to=${enc(room?.timeline.prev_batch as string)}&limit=50`));
    expect(gap.status).toBe(200);
    const chunk = (gap.body as { chunk: EventBody[] }).chunk;
    expect(chunk.map((e) => (e.type === 'm.room.message' ? e.content.body : e.type))).toEqual(['g0', 'm.room.topic', 'g1', 'g2']);

    const back = await alice.call('GET', roomPath(roomId, `/messages?dir=b&from=${enc(room?.timeline.prev_batch as string)}&limit=2`));
    expect(bodies((back.body as { chunk: EventBody[] }).chunk)).toEqual(['g2', 'g1']);
  });

  test('an initial sync of a long room is limited and its state covers the earlier events', async () => {
    const roomId = await createRoom(alice, { name: 'Long' });
    for (let i = 0; i < 4; i++) await sendText(alice, roomId, `l${i}`);
    const res = await sync(alice, { filter: JSON.stringify({ room: { timeline: { limit: 2 }, rooms: [roomId] } }) });
    expect(Object.keys(res.rooms?.join ?? {})).toEqual([roomId]);
    const room = res.rooms?.join?.[roomId];
    expect(room?.timeline.limited).toBe(true);
    expect(room?.state.events.map((e) => e.type)).toEqual(expect.arrayContaining(['m.room.create', 'm.room.name', 'm.room.member', 'm.room.power_levels']));
  });
});

describe('membership changes', () => {
  test('invite → invite section → join → join section with the room’s full state', async () => {
    const roomId = await createRoom(alice, { name: 'Welcome' });
    await sendText(alice, roomId, 'hello before the invite');
    const before = await sync(bob);
    await invite(alice, roomId, bob.userId);
    const invited = await sync(bob, { since: before.next_batch });
    const state = invited.rooms?.invite?.[roomId]?.invite_state.events ?? [];
    expect(state.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Welcome' });
    expect(state.find((e) => e.type === 'm.room.member')).toMatchObject({ state_key: bob.userId, sender: alice.userId, content: { membership: 'invite' } });
    expect(state.every((e) => Object.keys(e).sort().join() === 'content,sender,state_key,type')).toBe(true);
    expect(invited.rooms?.join?.[roomId]).toBeUndefined();

    await joinRoom(bob, roomId);
    const joined = await sync(bob, { since: invited.next_batch });
    expect(joined.rooms?.invite?.[roomId]).toBeUndefined();
    const room = joined.rooms?.join?.[roomId];
    const everything = [...(room?.state.events ?? []), ...(room?.timeline.events ?? [])];
    expect(everything.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Welcome' });
    expect(everything.some((e) => e.type === 'm.room.create')).toBe(true);
    // Shared history: the message before the invite is there too.
    expect(bodies(room?.timeline.events)).toEqual(['hello before the invite']);
    expect(room?.timeline.events.at(-1)).toMatchObject({ type: 'm.room.member', state_key: bob.userId, content: { membership: 'join' } });
  });

  test('leave → leave section (always when new; with include_leave on initial syncs)', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(carol, roomId);
    const since = (await sync(carol)).next_batch;
    await sendText(alice, roomId, 'last words');
    await carol.call('POST', roomPath(roomId, '/leave'), {});
    await sendText(alice, roomId, 'after carol left');
    const res = await sync(carol, { since });
    const left = res.rooms?.leave?.[roomId];
    expect(bodies(left?.timeline.events)).toEqual(['last words']);
    expect(left?.timeline.events.at(-1)).toMatchObject({ type: 'm.room.member', state_key: carol.userId, content: { membership: 'leave' } });
    expect(res.rooms?.join?.[roomId]).toBeUndefined();

    const initial = await sync(carol);
    expect(initial.rooms?.leave?.[roomId]).toBeUndefined();
    const withLeave = await sync(carol, { filter: JSON.stringify({ room: { include_leave: true } }) });
    const archived = withLeave.rooms?.leave?.[roomId];
    expect(archived).toBeDefined();
    expect(bodies(archived?.timeline.events)).toEqual(['last words']);
    // A later sync does not repeat it.
    expect((await sync(carol, { since: res.next_batch })).rooms?.leave?.[roomId]).toBeUndefined();
  });

  test('a kick shows in the leave section of the kicked user', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const since = (await sync(bob)).next_batch;
    await alice.call('POST', roomPath(roomId, '/kick'), { user_id: bob.userId, reason: 'bye' });
    const res = await sync(bob, { since });
    expect(res.rooms?.leave?.[roomId]?.timeline.events.at(-1)).toMatchObject({ sender: alice.userId, content: { membership: 'leave', reason: 'bye' } });
  });

  test('a knock shows in the knock section', async () => {
    const roomId = await createRoom(alice, { room_version: '10', initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'knock' } }], name: 'Knock knock' });
    const since = (await sync(carol)).next_batch;
    const knock = await carol.call('PUT', roomPath(roomId, `/state/m.room.member/${enc(carol.userId)}`), { membership: 'knock' });
    expect(knock.status).toBe(200);
    const res = await sync(carol, { since });
    const state = (res.rooms?.knock?.[roomId] as { knock_state: { events: EventBody[] } } | undefined)?.knock_state.events ?? [];
    expect(state.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Knock knock' });
    expect(state.find((e) => e.type === 'm.room.member')?.content).toEqual({ membership: 'knock' });
  });
});

describe('history visibility in sync', () => {
  test('`joined` rooms show a new member nothing from before their join; `shared` ones do', async () => {
    const joinedRoom = await createRoom(alice, { preset: 'public_chat' });
    await alice.call('PUT', roomPath(joinedRoom, '/state/m.room.history_visibility'), { history_visibility: 'joined' });
    await sendText(alice, joinedRoom, 'private past');
    const sharedRoom = await createRoom(alice, { preset: 'public_chat' });
    await sendText(alice, sharedRoom, 'shared past');
    const since = (await sync(bob)).next_batch;
    await joinRoom(bob, joinedRoom);
    await joinRoom(bob, sharedRoom);
    await sendText(alice, joinedRoom, 'after join');
    const res = await sync(bob, { since });
    expect(bodies(res.rooms?.join?.[joinedRoom]?.timeline.events)).toEqual(['after join']);
    expect(bodies(res.rooms?.join?.[sharedRoom]?.timeline.events)).toEqual(['shared past']);
    // State and timeline together still tell the new member everything about the room,
    // including the change of visibility itself (visible under the rules before it).
    const room = res.rooms?.join?.[joinedRoom];
    const everything = [...(room?.state.events ?? []), ...(room?.timeline.events ?? [])];
    expect(everything.some((e) => e.type === 'm.room.history_visibility' && e.content.history_visibility === 'joined')).toBe(true);
    expect(everything.some((e) => e.type === 'm.room.create')).toBe(true);
  });
});

describe('ignored users', () => {
  test('their messages and invites are hidden from sync and /messages; their state is not', async () => {
    const dan = await register(shard, SERVER, 'dan');
    const erin = await register(shard, SERVER, 'erin');
    const roomId = await createRoom(dan, { preset: 'public_chat' });
    await joinRoom(erin, roomId);
    await setAccountData(tenant, dan.userId, { userId: dan.userId, roomId: null, type: 'm.ignored_user_list' }, { ignored_users: { [erin.userId]: {} } });
    const since = (await sync(dan)).next_batch;
    await sendText(erin, roomId, 'ignored');
    const rename = await erin.call('PUT', roomPath(roomId, `/state/m.room.member/${enc(erin.userId)}`), { membership: 'join', displayname: 'Erin' });
    expect(rename.status).toBe(200);
    await sendText(dan, roomId, 'seen');
    const erinsRoom = await createRoom(erin);
    await invite(erin, erinsRoom, dan.userId);
    const res = await sync(dan, { since });
    const timeline = res.rooms?.join?.[roomId]?.timeline.events ?? [];
    expect(bodies(timeline)).toEqual(['seen']);
    expect(timeline.some((e) => e.type === 'm.room.member' && e.content.displayname === 'Erin')).toBe(true);
    expect(res.rooms?.invite?.[erinsRoom]).toBeUndefined();
    const page = await dan.call('GET', roomPath(roomId, '/messages?dir=b&limit=5'));
    expect(bodies((page.body as { chunk: EventBody[] }).chunk)).toEqual(['seen']);
  });
});

describe('tenant isolation', () => {
  test('a user of another tenant sees nothing of this tenant’s rooms, even with the room ID', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat', room_alias_name: 'isolated' });
    const eventId = await sendText(alice, roomId, 'tenant A only');
    const outsider = await register(shard, OTHER, 'alice');
    const synced = await sync(outsider);
    expect(synced.rooms?.join ?? {}).toEqual({});
    expect((await outsider.call('GET', roomPath(roomId, '/messages?dir=b'))).status).toBe(403);
    expect((await outsider.call('GET', roomPath(roomId, '/state'))).status).toBe(403);
    expect((await outsider.call('GET', roomPath(roomId, `/event/${enc(eventId)}`))).status).toBe(404);
    expect((await outsider.call('GET', roomPath(roomId, '/members'))).status).toBe(403);
    expect((await outsider.call('POST', roomPath(roomId, '/join'), {})).status).toBe(404);
    expect((await outsider.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), { body: 'x' })).status).toBe(404);
    expect((await outsider.call('POST', `${CS}/join/${enc('#isolated:sync.example')}`, {})).status).toBe(404);
    // Alice's token means nothing on the other tenant.
    const { call } = await import('./helpers.ts');
    expect((await call(shard, OTHER, 'GET', `${CS}/sync`, { token: alice.token })).status).toBe(401);
    const after = await sync(outsider, { since: synced.next_batch });
    expect(after.rooms?.join ?? {}).toEqual({});
  });
});
