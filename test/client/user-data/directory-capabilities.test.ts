// The user directory (who may be found, matching, ranking, limits) and GET /capabilities.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KNOWN_ROOM_VERSIONS } from '../../../src/protocol/room-versions.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { call, CS, createOpenTenant, createRoom, enc, joinRoom, register, startRoomsShard, type Client } from '../rooms/helpers.ts';

const HS = 'directory.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let carol: Client;
let dave: Client;
let erin: Client;
let frank: Client;
let gina: Client;

const SEARCH = `${CS}/user_directory/search`;

async function setName(client: Client, name: string): Promise<void> {
  expect((await client.call('PUT', `${CS}/profile/${enc(client.userId)}/displayname`, { displayname: name })).status).toBe(200);
}

async function search(client: Client, body: Record<string, unknown>): Promise<{ results: Array<{ user_id: string; display_name?: string; avatar_url?: string }>; limited: boolean }> {
  const res = await client.call('POST', SEARCH, body);
  expect(res.status, res.text).toBe(200);
  return res.body as { results: Array<{ user_id: string; display_name?: string }>; limited: boolean };
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob, carol, dave, erin, frank, gina] = (await Promise.all(
    ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'].map((name) => register(shard, HS, name)),
  )) as [Client, Client, Client, Client, Client, Client, Client];
  // Alice and Bob share a private room; Carol is in a public room; Erin and Frank share a
  // private room nobody else is in; Gina is in a world-readable invite-only room; Dave is
  // in no room.
  const shared = await createRoom(alice, { preset: 'private_chat', invite: [bob.userId] });
  await joinRoom(bob, shared);
  await createRoom(carol, { preset: 'public_chat' });
  const hidden = await createRoom(erin, { preset: 'private_chat', invite: [frank.userId] });
  await joinRoom(frank, hidden);
  await createRoom(gina, { preset: 'private_chat', initial_state: [{ type: 'm.room.history_visibility', state_key: '', content: { history_visibility: 'world_readable' } }] });
  await setName(carol, 'Carola Müller');
  await setName(bob, 'Bob Baumeister');
  await setName(frank, 'Frank Müller');
  await bob.call('PUT', `${CS}/profile/${enc(bob.userId)}/avatar_url`, { avatar_url: 'mxc://directory.example/bob' });
});
afterAll(async () => shard?.close());

describe('user directory', () => {
  test('finds users sharing a room, in public rooms or in world-readable rooms, nobody else', async () => {
    const all = await search(alice, { search_term: '', limit: 50 });
    expect(all.results.map((r) => r.user_id).sort()).toEqual([alice.userId, bob.userId, carol.userId, gina.userId].sort());
    expect(all.limited).toBe(false);
    // Erin sees Frank (shared room) but not Bob or Alice (private room without her).
    const forErin = await search(erin, { search_term: '', limit: 50 });
    expect(forErin.results.map((r) => r.user_id).sort()).toEqual([carol.userId, erin.userId, frank.userId, gina.userId].sort());
    // Dave, in no room, still finds users of public and world-readable rooms.
    expect((await search(dave, { search_term: '' })).results.map((r) => r.user_id).sort()).toEqual([carol.userId, gina.userId].sort());
  });

  test('matches user IDs and display names case-insensitively, Unicode included', async () => {
    expect((await search(alice, { search_term: 'MÜLLER' })).results).toEqual([{ user_id: carol.userId, display_name: 'Carola Müller' }]);
    expect((await search(alice, { search_term: 'carola' })).results.map((r) => r.user_id)).toEqual([carol.userId]);
    expect((await search(alice, { search_term: 'BOB' })).results).toEqual([
      { user_id: bob.userId, display_name: 'Bob Baumeister', avatar_url: 'mxc://directory.example/bob' },
    ]);
    expect((await search(alice, { search_term: `:${HS}` })).results.length).toBe(4);
    // Every word must match.
    expect((await search(alice, { search_term: 'bob müller' })).results).toEqual([]);
    expect((await search(alice, { search_term: 'müller carola' })).results.map((r) => r.user_id)).toEqual([carol.userId]);
    // Frank Müller is not visible to Alice.
    expect((await search(alice, { search_term: 'frank' })).results).toEqual([]);
    // LIKE wildcards are literal.
    expect((await search(alice, { search_term: '%' })).results).toEqual([]);
    expect((await search(alice, { search_term: '_' })).results).toEqual([]);
  });

  test('prefix matches rank first', async () => {
    const res = await search(alice, { search_term: 'a' });
    // "alice", "Carola"… : names or localparts starting with "a" first.
    expect(res.results[0]?.user_id).toBe(alice.userId);
  });

  test('limit and limited', async () => {
    const res = await search(alice, { search_term: '', limit: 2 });
    expect(res.results).toHaveLength(2);
    expect(res.limited).toBe(true);
    const none = await search(alice, { search_term: '', limit: 0 });
    expect(none).toEqual({ results: [], limited: true });
  });

  test('invalid requests', async () => {
    for (const [body, errcode] of [
      [{}, 'M_MISSING_PARAM'],
      [{ search_term: 5 }, 'M_BAD_JSON'],
      [{ search_term: 'a', limit: 'ten' }, 'M_BAD_JSON'],
      [{ search_term: 'a', limit: 1.5 }, 'M_BAD_JSON'],
      [{ search_term: 'a', limit: -1 }, 'M_INVALID_PARAM'],
      [{ search_term: 'x'.repeat(1001) }, 'M_INVALID_PARAM'],
    ] as const) {
      const res = await alice.call('POST', SEARCH, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
    expect((await alice.call('POST', SEARCH, { search_term: 'a\u0000b' })).status).toBe(200);
    expect((await call(shard, HS, 'POST', SEARCH, { body: { search_term: 'a' } })).status).toBe(401);
  });
});

describe('capabilities', () => {
  test('lists what users may do and every room version as stable', async () => {
    const res = await alice.call('GET', `${CS}/capabilities`);
    expect(res.status).toBe(200);
    const capabilities = (res.body as { capabilities: Record<string, unknown> }).capabilities;
    expect(capabilities).toEqual({
      'm.change_password': { enabled: true },
      'm.room_versions': { default: '10', available: Object.fromEntries(KNOWN_ROOM_VERSIONS.map((v) => [v, 'stable'])) },
      'm.set_displayname': { enabled: true },
      'm.set_avatar_url': { enabled: true },
      'm.3pid_changes': { enabled: false },
      'm.get_login_token': { enabled: true },
    });
  });

  test('the default room version is the tenant’s', async () => {
    await createOpenTenant(shard, 'v11.example');
    expect((await shard.admin('PATCH', '/_tessera/admin/v1/tenants/v11.example', { default_room_version: '11' })).status).toBe(200);
    const user = await register(shard, 'v11.example', 'someone');
    const res = await user.call('GET', `${CS}/capabilities`);
    expect((res.body as { capabilities: { 'm.room_versions': { default: string } } }).capabilities['m.room_versions'].default).toBe('11');
  });

  test('needs an access token', async () => {
    const res = await call(shard, HS, 'GET', `${CS}/capabilities`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });
});
