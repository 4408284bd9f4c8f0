// Profiles over HTTP: lookups (whole profile and single fields), changes by the user only,
// value validation, and propagation of a change as new join events into every joined room.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { call, CS, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, startRoomsShard, type Client } from '../rooms/helpers.ts';

const HS = 'profile.example';
let shard: TestShard;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, HS, name)))) as [Client, Client];
});
afterAll(async () => shard?.close());

const profilePath = (userId: string, field = ''): string => `${CS}/profile/${enc(userId)}${field ? `/${field}` : ''}`;

async function memberContent(viewer: Client, roomId: string, userId: string): Promise<Record<string, unknown>> {
  const res = await viewer.call('GET', roomPath(roomId, `/state/m.room.member/${enc(userId)}`));
  expect(res.status, res.text).toBe(200);
  return res.body as Record<string, unknown>;
}

describe('lookups', () => {
  test('a new user’s profile has the localpart as display name and no avatar', async () => {
    const carol = await register(shard, HS, 'carol');
    const res = await call(shard, HS, 'GET', profilePath(carol.userId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ displayname: 'carol' });
    expect((await call(shard, HS, 'GET', profilePath(carol.userId, 'displayname'))).body).toEqual({ displayname: 'carol' });
    const avatar = await call(shard, HS, 'GET', profilePath(carol.userId, 'avatar_url'));
    expect(avatar.status).toBe(404);
    expect(avatar.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
  });

  test('lookups need no token, but a given token must be valid', async () => {
    expect((await call(shard, HS, 'GET', profilePath(alice.userId))).status).toBe(200);
    const bad = await call(shard, HS, 'GET', profilePath(alice.userId), { token: 'tsat_nonsense' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });

  test('unknown and remote users are 404 M_NOT_FOUND', async () => {
    for (const userId of [`@nobody:${HS}`, '@alice:elsewhere.example', 'not-a-user-id']) {
      for (const field of ['', 'displayname', 'avatar_url']) {
        const res = await call(shard, HS, 'GET', profilePath(userId, field), { token: alice.token });
        expect(res.status, `${userId} ${field}`).toBe(404);
        expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
      }
    }
  });
});

describe('changes', () => {
  test('the user sets and clears displayname and avatar_url', async () => {
    const dora = await register(shard, HS, 'dora');
    expect((await dora.call('PUT', profilePath(dora.userId, 'displayname'), { displayname: 'Dora Müller' })).status).toBe(200);
    expect((await dora.call('PUT', profilePath(dora.userId, 'avatar_url'), { avatar_url: 'mxc://profile.example/AbC123_-' })).status).toBe(200);
    expect((await call(shard, HS, 'GET', profilePath(dora.userId))).body).toEqual({ displayname: 'Dora Müller', avatar_url: 'mxc://profile.example/AbC123_-' });
    expect((await call(shard, HS, 'GET', profilePath(dora.userId, 'avatar_url'))).body).toEqual({ avatar_url: 'mxc://profile.example/AbC123_-' });
    // An empty string clears the field.
    expect((await dora.call('PUT', profilePath(dora.userId, 'avatar_url'), { avatar_url: '' })).status).toBe(200);
    expect((await dora.call('PUT', profilePath(dora.userId, 'displayname'), { displayname: '' })).status).toBe(200);
    expect((await call(shard, HS, 'GET', profilePath(dora.userId))).body).toEqual({});
    expect((await call(shard, HS, 'GET', profilePath(dora.userId, 'displayname'))).status).toBe(404);
  });

  test('only the user themself may change their profile', async () => {
    for (const field of ['displayname', 'avatar_url']) {
      const value = field === 'displayname' ? 'Mallory' : 'mxc://profile.example/evil';
      const res = await bob.call('PUT', profilePath(alice.userId, field), { [field]: value });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    }
    expect((await call(shard, HS, 'GET', profilePath(alice.userId))).body).toEqual({ displayname: 'alice' });
  });

  test('changes need an access token', async () => {
    const res = await call(shard, HS, 'PUT', profilePath(alice.userId, 'displayname'), { body: { displayname: 'x' } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });

  test('invalid values are refused with the spec’s error codes', async () => {
    const cases: Array<[string, unknown, string]> = [
      ['displayname', {}, 'M_MISSING_PARAM'],
      ['displayname', { displayname: 42 }, 'M_BAD_JSON'],
      ['displayname', { displayname: null }, 'M_BAD_JSON'],
      ['displayname', { displayname: 'x'.repeat(257) }, 'M_INVALID_PARAM'],
      ['displayname', { displayname: 'nul\u0000byte' }, 'M_BAD_JSON'],
      ['displayname', [], 'M_BAD_JSON'],
      ['avatar_url', { avatar_url: 'https://example.org/me.png' }, 'M_INVALID_PARAM'],
      ['avatar_url', { avatar_url: 'mxc://profile.example/' }, 'M_INVALID_PARAM'],
      ['avatar_url', { avatar_url: 'mxc://bad host/abc' }, 'M_INVALID_PARAM'],
      ['avatar_url', { avatar_url: `mxc://profile.example/${'a'.repeat(1000)}` }, 'M_INVALID_PARAM'],
      ['avatar_url', { avatar_url: true }, 'M_BAD_JSON'],
    ];
    for (const [field, body, errcode] of cases) {
      const res = await alice.call('PUT', profilePath(alice.userId, field), body);
      expect(res.status, `${field} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
    // 256 characters (not bytes) is the limit.
    expect((await alice.call('PUT', profilePath(alice.userId, 'displayname'), { displayname: 'ü'.repeat(256) })).status).toBe(200);
    expect((await alice.call('PUT', profilePath(alice.userId, 'displayname'), { displayname: 'alice' })).status).toBe(200);
    const notJson = await call(shard, HS, 'PUT', profilePath(alice.userId, 'displayname'), { token: alice.token, rawBody: '{nope' });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ errcode: 'M_NOT_JSON' });
  });

  test('other profile keys are not served', async () => {
    const res = await call(shard, HS, 'PUT', profilePath(alice.userId, 'm.tz'), { token: alice.token, body: { 'm.tz': 'Europe/Berlin' } });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
  });
});

describe('propagation into rooms', () => {
  test('a change becomes a new join event in every joined room, not in others', async () => {
    const erin = await register(shard, HS, 'erin');
    const frank = await register(shard, HS, 'frank');
    const joinedA = await createRoom(erin, { preset: 'public_chat' });
    const joinedB = await createRoom(frank, { preset: 'public_chat' });
    await joinRoom(erin, joinedB);
    const left = await createRoom(frank, { preset: 'public_chat' });
    await joinRoom(erin, left);
    expect((await erin.call('POST', roomPath(left, '/leave'), {})).status).toBe(200);
    const before = await memberContent(frank, joinedB, erin.userId);
    expect(before).toMatchObject({ membership: 'join', displayname: 'erin' });

    expect((await erin.call('PUT', profilePath(erin.userId, 'displayname'), { displayname: 'Erin Example' })).status).toBe(200);
    expect((await erin.call('PUT', profilePath(erin.userId, 'avatar_url'), { avatar_url: 'mxc://profile.example/erin' })).status).toBe(200);

    for (const roomId of [joinedA, joinedB]) {
      expect(await memberContent(roomId === joinedA ? erin : frank, roomId, erin.userId)).toEqual({
        membership: 'join',
        displayname: 'Erin Example',
        avatar_url: 'mxc://profile.example/erin',
      });
    }
    // The room she left keeps her departure.
    expect(await memberContent(frank, left, erin.userId)).toMatchObject({ membership: 'leave' });
    expect(await memberContent(frank, left, erin.userId)).not.toHaveProperty('displayname', 'Erin Example');

    // Two new member events per joined room (one per change), each replacing the last.
    const messages = await frank.call('GET', roomPath(joinedB, `/messages?dir=b&limit=10&filter=${enc(JSON.stringify({ types: ['m.room.member'] }))}`));
    expect(messages.status, messages.text).toBe(200);
    const members = (messages.body as { chunk: Array<{ state_key: string; content: Record<string, unknown> }> }).chunk.filter((e) => e.state_key === erin.userId);
    expect(members.slice(0, 2).map((e) => e.content)).toEqual([
      { membership: 'join', displayname: 'Erin Example', avatar_url: 'mxc://profile.example/erin' },
      { membership: 'join', displayname: 'Erin Example' },
    ]);
  });

  test('setting the same value again sends nothing', async () => {
    const gina = await register(shard, HS, 'gina');
    const roomId = await createRoom(gina);
    await gina.call('PUT', profilePath(gina.userId, 'displayname'), { displayname: 'Gina' });
    const first = await gina.call('GET', roomPath(roomId, `/state/m.room.member/${enc(gina.userId)}`));
    await gina.call('PUT', profilePath(gina.userId, 'displayname'), { displayname: 'Gina' });
    const messages = await gina.call('GET', roomPath(roomId, '/messages?dir=b&limit=50'));
    const memberEvents = (messages.body as { chunk: Array<{ type: string; state_key?: string }> }).chunk.filter((e) => e.type === 'm.room.member' && e.state_key === gina.userId);
    expect(memberEvents).toHaveLength(2); // the join at creation and the one change
    expect(first.body).toMatchObject({ displayname: 'Gina' });
  });
});
