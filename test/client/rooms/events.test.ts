// Reading events over HTTP: GET /event, /messages (directions, tokens, limits, filters,
// lazy-loaded members, history visibility, departed users), /context, and redactions.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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

const SERVER = 'events.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let carol: Client;
let eve: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  [alice, bob, carol, eve] = (await Promise.all(['alice', 'bob', 'carol', 'eve'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client, Client];
});
afterAll(async () => shard?.close());

interface Page {
  start: string;
  end?: string;
  chunk: EventBody[];
  state?: EventBody[];
}

async function messages(client: Client, roomId: string, query: Record<string, string | number>): Promise<Page> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]));
  const res = await client.call('GET', roomPath(roomId, `/messages?${search}`));
  expect(res.status, res.text).toBe(200);
  return res.body as Page;
}

function bodies(events: EventBody[]): unknown[] {
  return events.filter((e) => e.type === 'm.room.message').map((e) => e.content.body);
}

describe('GET /rooms/{roomId}/event/{eventId}', () => {
  test('members get the event; others, other rooms and unknown IDs get 404', async () => {
    const roomId = await createRoom(alice);
    const other = await createRoom(alice);
    const eventId = await sendText(alice, roomId, 'hello');
    const res = await alice.call('GET', roomPath(roomId, `/event/${enc(eventId)}`));
    expect(res.body).toMatchObject({ event_id: eventId, room_id: roomId, content: { body: 'hello' }, unsigned: { age: expect.any(Number) } });
    for (const [who, room, id] of [
      [eve, roomId, eventId],
      [alice, other, eventId],
      [alice, roomId, '$unknown'],
    ] as const) {
      const missing = await who.call('GET', roomPath(room, `/event/${enc(id)}`));
      expect(missing.status).toBe(404);
      expect((missing.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');
    }
  });
});

describe('GET /rooms/{roomId}/messages', () => {
  test('pages backwards and forwards with start/end tokens until the history ends', async () => {
    const roomId = await createRoom(alice);
    for (let i = 0; i < 7; i++) await sendText(alice, roomId, `m${i}`);
    const first = await messages(alice, roomId, { dir: 'b', limit: 3 });
    expect(bodies(first.chunk)).toEqual(['m6', 'm5', 'm4']);
    expect(first.end).toBeDefined();
    const second = await messages(alice, roomId, { dir: 'b', limit: 3, from: first.end as string });
    expect(second.start).toBe(first.end);
    expect(bodies(second.chunk)).toEqual(['m3', 'm2', 'm1']);

    // Backwards to the beginning: the room's creation events, then no `end`.
    let page = second;
    const seen: EventBody[] = [];
    while (page.end !== undefined) {
      page = await messages(alice, roomId, { dir: 'b', limit: 4, from: page.end });
      seen.push(...page.chunk);
    }
    expect(seen.at(-1)?.type).toBe('m.room.create');

    // Forwards from the start of the second page returns what came after it, in order.
    const forward = await messages(alice, roomId, { dir: 'f', limit: 10, from: second.end as string });
    expect(bodies(forward.chunk)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(forward.end).toBeUndefined();

    // `to` bounds the page.
    const bounded = await messages(alice, roomId, { dir: 'b', from: first.end as string, to: second.end as string });
    expect(bodies(bounded.chunk)).toEqual(['m3', 'm2', 'm1']);

    // Without `from`, forwards starts at the beginning of the room.
    const fromStart = await messages(alice, roomId, { dir: 'f', limit: 1 });
    expect(fromStart.chunk[0]?.type).toBe('m.room.create');
  });

  test('filters by type and sender; lazy-loading adds the senders’ member events as state', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    await sendText(alice, roomId, 'a1');
    await sendText(bob, roomId, 'b1');
    await alice.call('PUT', roomPath(roomId, '/state/m.room.topic'), { topic: 'x' });
    await sendText(bob, roomId, 'b2');

    const onlyBob = await messages(alice, roomId, { dir: 'b', limit: 10, filter: JSON.stringify({ senders: [bob.userId], types: ['m.room.message'] }) });
    expect(bodies(onlyBob.chunk)).toEqual(['b2', 'b1']);
    expect(onlyBob.chunk.every((e) => e.sender === bob.userId)).toBe(true);

    const lazy = await messages(alice, roomId, { dir: 'b', limit: 2, filter: JSON.stringify({ lazy_load_members: true }) });
    expect(lazy.chunk.map((e) => e.type)).toEqual(['m.room.message', 'm.room.topic']);
    expect(lazy.state?.map((e) => e.state_key).sort()).toEqual([alice.userId, bob.userId].sort());
    expect(lazy.state?.every((e) => e.type === 'm.room.member')).toBe(true);

    const wildcard = await messages(alice, roomId, { dir: 'b', filter: JSON.stringify({ types: ['m.room.t*'] }) });
    expect(wildcard.chunk.map((e) => e.type)).toEqual(['m.room.topic']);
  });

  test('errors: missing or bad dir, bad tokens, bad filter, bad limit, not a member', async () => {
    const roomId = await createRoom(alice);
    for (const [query, code] of [
      ['', 'M_MISSING_PARAM'],
      ['?dir=x', 'M_INVALID_PARAM'],
      ['?dir=b&from=garbage', 'M_INVALID_PARAM'],
      ['?dir=b&limit=-1', 'M_INVALID_PARAM'],
      ['?dir=b&filter=nope', 'M_NOT_JSON'],
      ['?dir=b&filter=%7B%22limit%22%3A%22x%22%7D', 'M_BAD_JSON'],
    ] as const) {
      const res = await alice.call('GET', roomPath(roomId, `/messages${query}`));
      expect(res.status, query).toBe(400);
      expect((res.body as { errcode: string }).errcode, query).toBe(code);
    }
    const stranger = await eve.call('GET', roomPath(roomId, '/messages?dir=b'));
    expect(stranger.status).toBe(403);
    const unknown = await alice.call('GET', roomPath('!nope:events.example', '/messages?dir=b'));
    expect(unknown.status).toBe(403);
  });

  test('history visibility: `joined` hides what came before the join; `shared` shows it', async () => {
    const joinedOnly = await createRoom(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'joined' } }] });
    await sendText(alice, joinedOnly, 'secret');
    await joinRoom(bob, joinedOnly);
    await sendText(alice, joinedOnly, 'welcome');
    const bobView = await messages(bob, joinedOnly, { dir: 'b', limit: 50 });
    expect(bodies(bobView.chunk)).toEqual(['welcome']);
    expect(bobView.chunk).toContainEqual(expect.objectContaining({ type: 'm.room.member', state_key: bob.userId }));
    // The room's first events predate the `joined` setting: under the default (`shared`) they stay visible.
    expect(bobView.chunk.at(-1)?.type).toBe('m.room.create');
    const secretId = (await messages(alice, joinedOnly, { dir: 'b', limit: 50 })).chunk.find((e) => e.content.body === 'secret')?.event_id as string;
    expect((await bob.call('GET', roomPath(joinedOnly, `/event/${enc(secretId)}`))).status).toBe(404);
    const context = await bob.call('GET', roomPath(joinedOnly, `/context/${enc(secretId)}`));
    expect(context.status).toBe(404);

    const shared = await createRoom(alice, { preset: 'public_chat' });
    await sendText(alice, shared, 'history');
    await joinRoom(bob, shared);
    expect(bodies((await messages(bob, shared, { dir: 'b', limit: 50 })).chunk)).toEqual(['history']);

    // `invited`: from the invite on.
    const invited = await createRoom(alice, { initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'invited' } }] });
    await sendText(alice, invited, 'before invite');
    await invite(alice, invited, carol.userId);
    await sendText(alice, invited, 'after invite');
    await joinRoom(carol, invited);
    expect(bodies((await messages(carol, invited, { dir: 'b', limit: 50 })).chunk)).toEqual(['after invite']);

    // world_readable: anyone, even without joining.
    const open = await createRoom(alice, { preset: 'public_chat', initial_state: [{ type: 'm.room.history_visibility', content: { history_visibility: 'world_readable' } }] });
    await sendText(alice, open, 'public');
    expect(bodies((await messages(eve, open, { dir: 'b' })).chunk)).toEqual(['public']);
  });

  test('a departed member reads up to their departure, not beyond', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    await sendText(alice, roomId, 'while there');
    await bob.call('POST', roomPath(roomId, '/leave'), {});
    await sendText(alice, roomId, 'after leaving');
    const page = await messages(bob, roomId, { dir: 'b', limit: 50 });
    expect(bodies(page.chunk)).toEqual(['while there']);
    expect(page.chunk[0]).toMatchObject({ type: 'm.room.member', state_key: bob.userId, content: { membership: 'leave' } });
    const forward = await messages(bob, roomId, { dir: 'f', limit: 50 });
    expect(bodies(forward.chunk)).toEqual(['while there']);
  });
});

describe('GET /rooms/{roomId}/context/{eventId}', () => {
  test('events around an event, tokens that paginate on, state at the end', async () => {
    const roomId = await createRoom(alice, { name: 'Ctx' });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await sendText(alice, roomId, `c${i}`));
    const res = await alice.call('GET', roomPath(roomId, `/context/${enc(ids[3] as string)}?limit=4`));
    expect(res.status).toBe(200);
    const body = res.body as { event: EventBody; events_before: EventBody[]; events_after: EventBody[]; state: EventBody[]; start: string; end: string };
    expect(body.event.content.body).toBe('c3');
    expect(bodies(body.events_before)).toEqual(['c2', 'c1']);
    expect(bodies(body.events_after)).toEqual(['c4', 'c5']);
    expect(body.state.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Ctx' });
    const older = await messages(alice, roomId, { dir: 'b', limit: 1, from: body.start });
    expect(bodies(older.chunk)).toEqual(['c0']);
    const newer = await messages(alice, roomId, { dir: 'f', limit: 5, from: body.end });
    expect(bodies(newer.chunk)).toEqual(['c6']);

    const lazy = await alice.call('GET', roomPath(roomId, `/context/${enc(ids[3] as string)}?limit=2&filter=${enc(JSON.stringify({ lazy_load_members: true }))}`));
    const lazyState = (lazy.body as { state: EventBody[] }).state;
    expect(lazyState.filter((e) => e.type === 'm.room.member').map((e) => e.state_key)).toEqual([alice.userId]);

    const unknown = await alice.call('GET', roomPath(roomId, `/context/${enc('$nope')}`));
    expect(unknown.status).toBe(404);
    const stranger = await eve.call('GET', roomPath(roomId, `/context/${enc(ids[0] as string)}`));
    expect(stranger.status).toBe(403);
  });
});

describe('redaction', () => {
  test('PUT /redact marks the event; everyone is served its redacted form with redacted_because', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const eventId = await sendText(bob, roomId, 'oops');
    const initial = await sync(alice);
    const id = txn();
    const res = await bob.call('PUT', roomPath(roomId, `/redact/${enc(eventId)}/${id}`), { reason: 'typo' });
    expect(res.status).toBe(200);
    const redactionId = (res.body as { event_id: string }).event_id;
    const again = await bob.call('PUT', roomPath(roomId, `/redact/${enc(eventId)}/${id}`), { reason: 'typo' });
    expect(again.body).toEqual(res.body);

    const event = await alice.call('GET', roomPath(roomId, `/event/${enc(eventId)}`));
    expect(event.body).toMatchObject({ content: {}, unsigned: { redacted_because: { event_id: redactionId, type: 'm.room.redaction', redacts: eventId, content: { reason: 'typo' } } } });
    expect((event.body as EventBody).content).toEqual({});
    const page = await messages(alice, roomId, { dir: 'b', limit: 2 });
    expect(page.chunk[0]).toMatchObject({ event_id: redactionId, redacts: eventId });
    expect(page.chunk[1]).toMatchObject({ event_id: eventId, content: {} });

    const later = await sync(alice, { since: initial.next_batch });
    const timeline = later.rooms?.join?.[roomId]?.timeline.events ?? [];
    expect(timeline.map((e) => e.event_id)).toEqual([redactionId]);
    const full = await sync(alice);
    const redacted = full.rooms?.join?.[roomId]?.timeline.events.find((e) => e.event_id === eventId);
    expect(redacted?.content).toEqual({});
    expect(redacted?.unsigned?.redacted_because).toMatchObject({ event_id: redactionId });
  });

  test('redacting others needs the redact power level; redactions also go through /send', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const alices = await sendText(alice, roomId, 'mine');
    const forbidden = await bob.call('PUT', roomPath(roomId, `/redact/${enc(alices)}/${txn()}`), {});
    expect(forbidden.status).toBe(403);
    const bobs = await sendText(bob, roomId, 'his');
    const byModerator = await alice.call('PUT', roomPath(roomId, `/send/m.room.redaction/${txn()}`), { redacts: bobs, reason: 'moderated' });
    expect(byModerator.status).toBe(200);
    const event = await bob.call('GET', roomPath(roomId, `/event/${enc(bobs)}`));
    expect((event.body as EventBody).content).toEqual({});

    const unknown = await alice.call('PUT', roomPath(roomId, `/redact/${enc('$nope')}/${txn()}`), {});
    expect(unknown.status).toBe(404);
    const noTarget = await alice.call('PUT', roomPath(roomId, `/send/m.room.redaction/${txn()}`), { reason: 'x' });
    expect(noTarget.status).toBe(400);
    const stranger = await eve.call('PUT', roomPath(roomId, `/redact/${enc(alices)}/${txn()}`), {});
    expect(stranger.status).toBe(403);
  });

  test('a redacted state event keeps what the algorithm protects', async () => {
    const roomId = await createRoom(alice, { room_version: '11' });
    const put = await alice.call('PUT', roomPath(roomId, '/state/m.room.topic'), { topic: 'gone soon' });
    const topicId = (put.body as { event_id: string }).event_id;
    const redacted = await alice.call('PUT', roomPath(roomId, `/redact/${enc(topicId)}/${txn()}`), {});
    expect(redacted.status).toBe(200);
    const topic = await alice.call('GET', roomPath(roomId, '/state/m.room.topic'));
    expect(topic.body).toEqual({});
    const joinRule = await alice.call('GET', roomPath(roomId, `/state/m.room.member/${enc(alice.userId)}`));
    expect(joinRule.body).toMatchObject({ membership: 'join' });
  });
});

describe('GET /sync timeline and /messages agree', () => {
  test('prev_batch of a sync continues with /messages', async () => {
    const roomId = await createRoom(alice);
    for (let i = 0; i < 5; i++) await sendText(alice, roomId, `s${i}`);
    const synced = await sync(alice, { filter: JSON.stringify({ room: { timeline: { limit: 2 } } }) });
    const room = synced.rooms?.join?.[roomId];
    expect(bodies(room?.timeline.events ?? [])).toEqual(['s3', 's4']);
    expect(room?.timeline.limited).toBe(true);
    const earlier = await messages(alice, roomId, { dir: 'b', limit: 3, from: room?.timeline.prev_batch as string });
    expect(bodies(earlier.chunk)).toEqual(['s2', 's1', 's0']);
    expect((await alice.call('GET', `${CS}/joined_rooms`)).status).toBe(200);
  });
});
