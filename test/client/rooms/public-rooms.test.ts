// The published room directory over HTTP: GET/POST /publicRooms and
// GET/PUT /directory/list/room/{roomId}; every response checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, call, createOpenTenant, createRoom, enc, joinRoom, register, startRoomsShard, type Client } from './helpers.ts';

const SERVER = 'directory.example';
const OTHER = 'other-directory.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let public1: string;
let public2: string;
let privateRoom: string;

interface Page {
  chunk: Array<{ room_id: string; num_joined_members: number; name?: string; topic?: string; canonical_alias?: string; join_rule?: string; world_readable: boolean; guest_can_join: boolean; room_type?: string }>;
  next_batch?: string;
  prev_batch?: string;
  total_room_count_estimate: number;
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  await createOpenTenant(shard, OTHER);
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, SERVER, name)))) as [Client, Client];
  public1 = await createRoom(alice, { visibility: 'public', name: 'Praxis Team', topic: 'Dienstplan', room_alias_name: 'praxis' });
  await joinRoom(bob, public1);
  public2 = await createRoom(bob, { visibility: 'public', name: 'Apotheke', creation_content: { type: 'm.space' } });
  privateRoom = await createRoom(alice, { name: 'Geheim' });
});
afterAll(async () => shard?.close());

describe('GET /publicRooms', () => {
  test('lists published rooms, most members first, with their description; no token needed', async () => {
    const res = await call(shard, SERVER, 'GET', `${CS}/publicRooms`);
    expect(res.status).toBe(200);
    const page = res.body as Page;
    expect(page.chunk.map((c) => c.room_id)).toEqual([public1, public2]);
    expect(page.total_room_count_estimate).toBe(2);
    expect(page.chunk[0]).toMatchObject({
      name: 'Praxis Team',
      topic: 'Dienstplan',
      canonical_alias: '#praxis:directory.example',
      num_joined_members: 2,
      join_rule: 'public',
      world_readable: false,
      guest_can_join: false,
    });
    expect(page.chunk[1]).toMatchObject({ name: 'Apotheke', room_type: 'm.space', num_joined_members: 1 });
  });

  test('pages with limit and since', async () => {
    const first = (await call(shard, SERVER, 'GET', `${CS}/publicRooms?limit=1`)).body as Page;
    expect(first.chunk.map((c) => c.room_id)).toEqual([public1]);
    expect(first.next_batch).toBeDefined();
    const second = (await call(shard, SERVER, 'GET', `${CS}/publicRooms?limit=1&since=${enc(first.next_batch as string)}`)).body as Page;
    expect(second.chunk.map((c) => c.room_id)).toEqual([public2]);
    expect(second.next_batch).toBeUndefined();
    expect(second.prev_batch).toBeDefined();
    for (const query of ['limit=-1', 'limit=abc', 'since=garbage']) {
      const bad = await call(shard, SERVER, 'GET', `${CS}/publicRooms?${query}`);
      expect(bad.status, query).toBe(400);
    }
  });

  test('another tenant lists none of these rooms; remote directories are not reachable yet', async () => {
    const other = (await call(shard, OTHER, 'GET', `${CS}/publicRooms`)).body as Page;
    expect(other.chunk).toEqual([]);
    const remote = await call(shard, SERVER, 'GET', `${CS}/publicRooms?server=elsewhere.example`);
    expect(remote.status).toBe(404);
  });
});

describe('POST /publicRooms', () => {
  test('filters by search term and room type', async () => {
    const byTerm = await alice.call('POST', `${CS}/publicRooms`, { filter: { generic_search_term: 'dienst' } });
    expect((byTerm.body as Page).chunk.map((c) => c.room_id)).toEqual([public1]);
    const byAlias = await alice.call('POST', `${CS}/publicRooms`, { filter: { generic_search_term: '#PRAXIS' } });
    expect((byAlias.body as Page).chunk.map((c) => c.room_id)).toEqual([public1]);
    const spaces = await alice.call('POST', `${CS}/publicRooms`, { filter: { room_types: ['m.space'] } });
    expect((spaces.body as Page).chunk.map((c) => c.room_id)).toEqual([public2]);
    const plain = await alice.call('POST', `${CS}/publicRooms`, { filter: { room_types: [null] } });
    expect((plain.body as Page).chunk.map((c) => c.room_id)).toEqual([public1]);
    const none = await alice.call('POST', `${CS}/publicRooms`, { filter: { generic_search_term: 'geheim' } });
    expect((none.body as Page).chunk).toEqual([]);
  });

  test('validates its body and needs a token', async () => {
    expect((await alice.call('POST', `${CS}/publicRooms`, { limit: 'ten' })).status).toBe(400);
    expect((await alice.call('POST', `${CS}/publicRooms`, { filter: [] })).status).toBe(400);
    expect((await alice.call('POST', `${CS}/publicRooms`, { filter: { room_types: [5] } })).status).toBe(400);
    expect((await call(shard, SERVER, 'POST', `${CS}/publicRooms`, { body: {} })).status).toBe(401);
  });
});

describe('/directory/list/room', () => {
  test('shows and changes a room’s listing; only moderators may change it', async () => {
    const path = `${CS}/directory/list/room/${enc(privateRoom)}`;
    expect((await call(shard, SERVER, 'GET', path)).body).toEqual({ visibility: 'private' });
    const refused = await bob.call('PUT', path, { visibility: 'public' });
    expect(refused.status).toBe(403);
    const listed = await alice.call('PUT', path, { visibility: 'public' });
    expect(listed.status).toBe(200);
    expect((await call(shard, SERVER, 'GET', path)).body).toEqual({ visibility: 'public' });
    const rooms = ((await call(shard, SERVER, 'GET', `${CS}/publicRooms`)).body as Page).chunk.map((c) => c.room_id);
    expect(rooms).toContain(privateRoom);
    expect((await alice.call('PUT', path, { visibility: 'private' })).status).toBe(200);
    expect((await alice.call('PUT', path, { visibility: 'hidden' })).status).toBe(400);
    const unknown = await call(shard, SERVER, 'GET', `${CS}/directory/list/room/${enc('!nope:directory.example')}`);
    expect(unknown.status).toBe(404);
  });
});
