// Filters and /sync: the filter API (POST/GET /user/{userId}/filter), filter IDs and inline
// filters on /sync, lazy-loading of members with and without redundant members, event
// fields and formats.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { callTenant } from '../../helpers/http.ts';
import { CS, createOpenTenant, createRoom, enc, joinRoom, register, sendText, startRoomsShard, sync, type Client, type EventBody, type SyncBody } from './helpers.ts';

const SERVER = 'filters.example';
let shard: TestShard;
let alice: Client;
let others: Client[];

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  alice = await register(shard, SERVER, 'alice');
  others = [];
  for (let i = 1; i <= 7; i++) others.push(await register(shard, SERVER, `user${i}`));
});
afterAll(async () => shard?.close());

function user(i: number): Client {
  return others[i - 1] as Client;
}

function memberKeys(events: EventBody[] | undefined): string[] {
  return (events ?? []).filter((e) => e.type === 'm.room.member').map((e) => e.state_key as string).sort();
}

describe('the filter API', () => {
  test('upload, download, use by ID', async () => {
    const filter = { room: { timeline: { limit: 1, types: ['m.room.message'] } }, event_fields: ['type', 'content.body', 'event_id'] };
    const up = await alice.call('POST', `${CS}/user/${enc(alice.userId)}/filter`, filter);
    expect(up.status).toBe(200);
    const filterId = (up.body as { filter_id: string }).filter_id;
    expect(filterId.startsWith('{')).toBe(false);
    const down = await alice.call('GET', `${CS}/user/${enc(alice.userId)}/filter/${enc(filterId)}`);
    expect(down.body).toEqual(filter);

    const roomId = await createRoom(alice);
    await sendText(alice, roomId, 'one');
    await sendText(alice, roomId, 'two');
    // event_fields leaves out fields the spec's schema requires (the client asked for that),
    // so this response is not checked against the schema.
    const raw = await callTenant(shard.url, SERVER, `${CS}/sync?filter=${filterId}`, { token: alice.token });
    expect(raw.status).toBe(200);
    const room = (raw.body as SyncBody).rooms?.join?.[roomId];
    expect(room?.timeline.events).toEqual([{ type: 'm.room.message', content: { body: 'two' }, event_id: expect.any(String) }]);
    expect(room?.timeline.limited).toBe(true);
  });

  test('errors: someone else’s filters (403), unknown filter (404), invalid filters (400)', async () => {
    const bob = user(1);
    const foreignUpload = await bob.call('POST', `${CS}/user/${enc(alice.userId)}/filter`, {});
    expect(foreignUpload.status).toBe(403);
    const mine = await alice.call('POST', `${CS}/user/${enc(alice.userId)}/filter`, {});
    const id = (mine.body as { filter_id: string }).filter_id;
    const foreignDownload = await bob.call('GET', `${CS}/user/${enc(alice.userId)}/filter/${id}`);
    expect(foreignDownload.status).toBe(403);
    // Bob's sync cannot use Alice's filter ID.
    const borrowed = await bob.call('GET', `${CS}/sync?filter=${id}`);
    expect(borrowed.status).toBe(400);
    const unknown = await alice.call('GET', `${CS}/user/${enc(alice.userId)}/filter/999999`);
    expect(unknown.status).toBe(404);
    const invalid = await alice.call('POST', `${CS}/user/${enc(alice.userId)}/filter`, { room: { timeline: { limit: 'ten' } } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { errcode: string }).errcode).toBe('M_BAD_JSON');
    const notObject = await alice.call('POST', `${CS}/user/${enc(alice.userId)}/filter`, [1]);
    expect(notObject.status).toBe(400);
  });

  test('event_format federation serves the stored PDU', async () => {
    const roomId = await createRoom(alice);
    await sendText(alice, roomId, 'raw');
    const res = await sync(alice, { filter: JSON.stringify({ event_format: 'federation', room: { rooms: [roomId], timeline: { limit: 1 } } }) });
    const event = res.rooms?.join?.[roomId]?.timeline.events[0] as unknown as Record<string, unknown>;
    expect(event).toMatchObject({ event_id: expect.any(String), type: 'm.room.message', depth: expect.any(Number), auth_events: expect.any(Array), hashes: expect.any(Object) });
  });
});

describe('lazy-loading members', () => {
  test('only the senders’ members (and heroes, and one’s own) on joining; redundant ones are skipped later', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    for (const client of others) await joinRoom(client, roomId);
    await sendText(user(7), roomId, 'from seven');
    // Without lazy-loading every member is there.
    const eager = await sync(alice, { filter: JSON.stringify({ room: { rooms: [roomId], timeline: { limit: 1 } } }) });
    expect(memberKeys(eager.rooms?.join?.[roomId]?.state.events)).toHaveLength(8);

    const lazy = JSON.stringify({ room: { rooms: [roomId], timeline: { limit: 1 }, state: { lazy_load_members: true } } });
    const initial = await sync(alice, { filter: lazy });
    const room = initial.rooms?.join?.[roomId];
    // Heroes are the first five others; the sender and the syncing user come on top.
    expect(room?.summary['m.heroes']).toEqual([1, 2, 3, 4, 5].map((i) => user(i).userId));
    expect(memberKeys(room?.state.events)).toEqual([alice.userId, ...[1, 2, 3, 4, 5, 7].map((i) => user(i).userId)].sort());
    expect(memberKeys(room?.state.events)).not.toContain(user(6).userId);

    // Seven again: redundant, left out. Six for the first time: sent.
    await sendText(user(7), roomId, 'seven again');
    await sendText(user(6), roomId, 'six speaks');
    const next = await sync(alice, { filter: lazy, since: initial.next_batch });
    const later = next.rooms?.join?.[roomId];
    expect(later?.timeline.events.map((e) => e.content.body)).toEqual(['six speaks']);
    expect(later?.timeline.limited).toBe(true);
    expect(memberKeys(later?.state.events)).toEqual([user(6).userId]);

    // include_redundant_members: every sender's member event, every time.
    const redundant = JSON.stringify({ room: { rooms: [roomId], timeline: { limit: 5 }, state: { lazy_load_members: true, include_redundant_members: true } } });
    await sendText(user(7), roomId, 'seven once more');
    const withRedundant = await sync(alice, { filter: redundant, since: next.next_batch });
    expect(memberKeys(withRedundant.rooms?.join?.[roomId]?.state.events)).toEqual(expect.arrayContaining([user(7).userId]));
    await sendText(user(7), roomId, 'and again');
    const withoutRedundant = await sync(alice, { filter: lazy, since: withRedundant.next_batch });
    expect(memberKeys(withoutRedundant.rooms?.join?.[roomId]?.state.events)).not.toContain(user(7).userId);
  });

  test('a gap’s membership changes are sent even when lazy-loading', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(user(1), roomId);
    const lazy = JSON.stringify({ room: { rooms: [roomId], timeline: { limit: 2 }, state: { lazy_load_members: true } } });
    const since = (await sync(alice, { filter: lazy })).next_batch;
    await joinRoom(user(2), roomId);
    for (let i = 0; i < 4; i++) await sendText(alice, roomId, `m${i}`);
    const res = await sync(alice, { filter: lazy, since });
    const room = res.rooms?.join?.[roomId];
    expect(room?.timeline.limited).toBe(true);
    expect(memberKeys(room?.state.events)).toContain(user(2).userId);
  });
});

describe('state and timeline filters', () => {
  test('state types and timeline senders filter what is sent', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat', name: 'Filtered', topic: 'topic' });
    await joinRoom(user(1), roomId);
    await sendText(user(1), roomId, 'from one');
    await sendText(alice, roomId, 'from alice');
    const filter = JSON.stringify({ room: { rooms: [roomId], state: { types: ['m.room.name'] }, timeline: { senders: [user(1).userId] } } });
    const res = await sync(alice, { filter });
    const room = res.rooms?.join?.[roomId];
    expect(room?.timeline.events.map((e) => e.sender)).toEqual([user(1).userId, user(1).userId]);
    expect(room?.state.events.map((e) => e.type)).toEqual(['m.room.name']);
    const excluded = await sync(alice, { filter: JSON.stringify({ room: { not_rooms: [roomId] } }) });
    expect(excluded.rooms?.join?.[roomId]).toBeUndefined();
  });
});
