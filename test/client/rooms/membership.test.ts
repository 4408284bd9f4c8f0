// Membership over HTTP: join (by ID and alias), invite, leave, forget, kick, ban, unban,
// joined_rooms, joined_members and members; every response checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { leaveAllRooms } from '../../../src/services/rooms/leave-all-rooms.ts';
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
  type Client,
  type EventBody,
} from './helpers.ts';

const SERVER = 'members.example';
let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;
let carol: Client;
let eve: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
  [alice, bob, carol, eve] = (await Promise.all(['alice', 'bob', 'carol', 'eve'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client, Client];
});
afterAll(async () => shard?.close());

function errcode(body: unknown): string | undefined {
  return (body as { errcode?: string }).errcode;
}

async function membershipOf(viewer: Client, roomId: string, userId: string): Promise<string | undefined> {
  const res = await viewer.call('GET', roomPath(roomId, `/state/m.room.member/${enc(userId)}`));
  return res.status === 200 ? (res.body as { membership: string }).membership : undefined;
}

describe('joining', () => {
  test('public rooms by ID and by alias; joining twice is harmless', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat', room_alias_name: 'lobby' });
    const byId = await bob.call('POST', roomPath(roomId, '/join'), { reason: 'hi' });
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual({ room_id: roomId });
    const member = await bob.call('GET', roomPath(roomId, `/state/m.room.member/${enc(bob.userId)}`));
    expect(member.body).toMatchObject({ membership: 'join', reason: 'hi' });

    const byAlias = await carol.call('POST', `${CS}/join/${enc('#lobby:members.example')}`, {});
    expect(byAlias.body).toEqual({ room_id: roomId });
    const again = await carol.call('POST', `${CS}/join/${enc(roomId)}`, {});
    expect(again.body).toEqual({ room_id: roomId });
  });

  test('invite-only rooms need an invite; banned users cannot join', async () => {
    const roomId = await createRoom(alice);
    const uninvited = await bob.call('POST', roomPath(roomId, '/join'), {});
    expect(uninvited.status).toBe(403);
    expect(errcode(uninvited.body)).toBe('M_FORBIDDEN');
    await invite(alice, roomId, bob.userId);
    await joinRoom(bob, roomId);
    expect(await membershipOf(alice, roomId, bob.userId)).toBe('join');

    const ban = await alice.call('POST', roomPath(roomId, '/ban'), { user_id: carol.userId, reason: 'spam' });
    expect(ban.status).toBe(200);
    const banned = await carol.call('POST', roomPath(roomId, '/join'), {});
    expect(banned.status).toBe(403);
  });

  test('unknown rooms and aliases, rooms and aliases of other servers: 404; malformed: 400', async () => {
    for (const target of ['!nope:members.example', '!elsewhere:other.example', '#nope:members.example', '#remote:other.example']) {
      const res = await bob.call('POST', `${CS}/join/${enc(target)}`, {});
      expect(res.status, target).toBe(404);
      expect(errcode(res.body)).toBe('M_NOT_FOUND');
    }
    const remote = await bob.call('POST', roomPath('!elsewhere:other.example', '/join'), {});
    expect(remote.status).toBe(404);
    const malformed = await bob.call('POST', `${CS}/join/${enc('lobby')}`, {});
    expect(malformed.status).toBe(400);
    expect(errcode(malformed.body)).toBe('M_INVALID_PARAM');
    const badAlias = await bob.call('POST', `${CS}/join/${enc('#no-server')}`, {});
    expect(badAlias.status).toBe(400);
  });

  test('restricted rooms admit members of an allowed room without invite', async () => {
    const space = await createRoom(alice, { preset: 'public_chat' });
    const restricted = await createRoom(alice, {
      initial_state: [{ type: 'm.room.join_rules', state_key: '', content: { join_rule: 'restricted', allow: [{ type: 'm.room_membership', room_id: space }] } }],
    });
    const outsider = await eve.call('POST', roomPath(restricted, '/join'), {});
    expect(outsider.status).toBe(403);
    await joinRoom(eve, space);
    await joinRoom(eve, restricted);
    const member = await alice.call('GET', roomPath(restricted, `/state/m.room.member/${enc(eve.userId)}`));
    expect(member.body).toMatchObject({ membership: 'join', join_authorised_via_users_server: alice.userId });
  });
});

describe('inviting', () => {
  test('invites; inviting again is fine; the invitee sees the invite', async () => {
    const roomId = await createRoom(alice, { name: 'Invite only' });
    const res = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: bob.userId, reason: 'join us' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const again = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: bob.userId });
    expect(again.status).toBe(200);
    const synced = await sync(bob);
    expect(synced.rooms?.invite?.[roomId]?.invite_state.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'm.room.member', state_key: bob.userId, content: expect.objectContaining({ membership: 'invite', reason: 'join us' }) }),
        expect.objectContaining({ type: 'm.room.name', content: { name: 'Invite only' } }),
        expect.objectContaining({ type: 'm.room.create' }),
      ]),
    );
  });

  test('errors: not in the room, joined or banned invitee (403); bad or missing user_id (400); unknown user (404)', async () => {
    const roomId = await createRoom(alice, { invite: [bob.userId] });
    const outsider = await eve.call('POST', roomPath(roomId, '/invite'), { user_id: carol.userId });
    expect(outsider.status).toBe(403);
    await joinRoom(bob, roomId);
    const joined = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: bob.userId });
    expect(joined.status).toBe(403);
    await alice.call('POST', roomPath(roomId, '/ban'), { user_id: eve.userId });
    const banned = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: eve.userId });
    expect(banned.status).toBe(403);
    expect(errcode(banned.body)).toBe('M_FORBIDDEN');

    const invalid = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: 'bob' });
    expect(invalid.status).toBe(400);
    expect(errcode(invalid.body)).toBe('M_INVALID_PARAM');
    const missing = await alice.call('POST', roomPath(roomId, '/invite'), {});
    expect(missing.status).toBe(400);
    expect(errcode(missing.body)).toBe('M_MISSING_PARAM');
    const wrongType = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: 5 });
    expect(errcode(wrongType.body)).toBe('M_BAD_JSON');
    const unknown = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: '@ghost:members.example' });
    expect(unknown.status).toBe(404);
    const remote = await alice.call('POST', roomPath(roomId, '/invite'), { user_id: '@someone:other.example' });
    expect(remote.status).toBe(403);
  });
});

describe('leaving and forgetting', () => {
  test('leave, reject an invite, forget; a forgotten room cannot be read', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    await sendText(alice, roomId, 'before');
    const joinedForget = await bob.call('POST', roomPath(roomId, '/forget'), {});
    expect(joinedForget.status).toBe(400);
    expect(errcode(joinedForget.body)).toBe('M_UNKNOWN');

    const left = await bob.call('POST', roomPath(roomId, '/leave'), { reason: 'bye' });
    expect(left.status).toBe(200);
    const twice = await bob.call('POST', roomPath(roomId, '/leave'), {});
    expect(twice.status).toBe(200);
    expect((await bob.call('GET', roomPath(roomId, '/messages?dir=b'))).status).toBe(200);
    const forget = await bob.call('POST', roomPath(roomId, '/forget'), {});
    expect(forget.status).toBe(200);
    expect((await bob.call('GET', roomPath(roomId, '/messages?dir=b'))).status).toBe(403);
    expect((await bob.call('GET', roomPath(roomId, '/state'))).status).toBe(403);
    const synced = await sync(bob, { filter: JSON.stringify({ room: { include_leave: true } }) });
    expect(synced.rooms?.leave?.[roomId]).toBeUndefined();

    // Rejecting an invite is leaving.
    const invited = await createRoom(alice, { invite: [carol.userId] });
    const reject = await carol.call('POST', roomPath(invited, '/leave'), {});
    expect(reject.status).toBe(200);
    expect(await membershipOf(alice, invited, carol.userId)).toBe('leave');
  });

  test('errors: unknown room (404), never a member (403)', async () => {
    const unknown = await bob.call('POST', roomPath('!nope:members.example', '/leave'), {});
    expect(unknown.status).toBe(404);
    const roomId = await createRoom(alice);
    const stranger = await eve.call('POST', roomPath(roomId, '/leave'), {});
    expect(stranger.status).toBe(403);
    const forgetUnknown = await bob.call('POST', roomPath('!nope:members.example', '/forget'), {});
    expect(forgetUnknown.status).toBe(404);
  });
});

describe('kick, ban, unban', () => {
  test('moderators kick, ban and unban; others may not', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    await joinRoom(carol, roomId);
    const weak = await bob.call('POST', roomPath(roomId, '/kick'), { user_id: carol.userId });
    expect(weak.status).toBe(403);
    expect(errcode(weak.body)).toBe('M_FORBIDDEN');

    const kick = await alice.call('POST', roomPath(roomId, '/kick'), { user_id: carol.userId, reason: 'rude' });
    expect(kick.status).toBe(200);
    const kicked = await alice.call('GET', roomPath(roomId, `/state/m.room.member/${enc(carol.userId)}`));
    expect(kicked.body).toMatchObject({ membership: 'leave', reason: 'rude' });
    const notIn = await alice.call('POST', roomPath(roomId, '/kick'), { user_id: carol.userId });
    expect(notIn.status).toBe(403);
    // Kicked from a public room: free to come back.
    await joinRoom(carol, roomId);

    const ban = await alice.call('POST', roomPath(roomId, '/ban'), { user_id: carol.userId, reason: 'again' });
    expect(ban.status).toBe(200);
    expect(await membershipOf(alice, roomId, carol.userId)).toBe('ban');
    const weakUnban = await bob.call('POST', roomPath(roomId, '/unban'), { user_id: carol.userId });
    expect(weakUnban.status).toBe(403);
    const unban = await alice.call('POST', roomPath(roomId, '/unban'), { user_id: carol.userId });
    expect(unban.status).toBe(200);
    expect(await membershipOf(alice, roomId, carol.userId)).toBe('leave');
    const notBanned = await alice.call('POST', roomPath(roomId, '/unban'), { user_id: carol.userId });
    expect(notBanned.status).toBe(403);

    const missing = await alice.call('POST', roomPath(roomId, '/ban'), {});
    expect(missing.status).toBe(400);
    expect(errcode(missing.body)).toBe('M_MISSING_PARAM');
    const notJson = await alice.call('POST', roomPath(roomId, '/kick'), [1]);
    expect(errcode(notJson.body)).toBe('M_BAD_JSON');
  });
});

describe('listing members and rooms', () => {
  test('joined_rooms, joined_members and members with membership filters and `at`', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    const initial = await sync(alice);
    await joinRoom(bob, roomId);
    await invite(alice, roomId, carol.userId);
    await alice.call('POST', roomPath(roomId, '/ban'), { user_id: eve.userId });

    const rooms = await bob.call('GET', `${CS}/joined_rooms`);
    expect((rooms.body as { joined_rooms: string[] }).joined_rooms).toContain(roomId);

    const joined = await bob.call('GET', roomPath(roomId, '/joined_members'));
    expect(joined.status).toBe(200);
    expect(Object.keys((joined.body as { joined: object }).joined).sort()).toEqual([alice.userId, bob.userId].sort());
    const outsider = await carol.call('GET', roomPath(roomId, '/joined_members'));
    expect(outsider.status).toBe(403);

    const all = await alice.call('GET', roomPath(roomId, '/members'));
    const memberships = (all.body as { chunk: EventBody[] }).chunk.map((e) => [e.state_key, e.content.membership]);
    expect(memberships).toEqual(
      expect.arrayContaining([
        [alice.userId, 'join'],
        [bob.userId, 'join'],
        [carol.userId, 'invite'],
        [eve.userId, 'ban'],
      ]),
    );
    const onlyJoined = await alice.call('GET', roomPath(roomId, '/members?membership=join'));
    expect((onlyJoined.body as { chunk: EventBody[] }).chunk).toHaveLength(2);
    const notJoined = await alice.call('GET', roomPath(roomId, '/members?not_membership=join'));
    expect((notJoined.body as { chunk: EventBody[] }).chunk.map((e) => e.state_key).sort()).toEqual([carol.userId, eve.userId].sort());

    // At the initial sync's token only Alice was there.
    const then = await alice.call('GET', roomPath(roomId, `/members?at=${enc(initial.next_batch)}`));
    expect((then.body as { chunk: EventBody[] }).chunk.map((e) => e.state_key)).toEqual([alice.userId]);

    const badFilter = await alice.call('GET', roomPath(roomId, '/members?membership=party'));
    expect(badFilter.status).toBe(400);
    const badToken = await alice.call('GET', roomPath(roomId, '/members?at=garbage'));
    expect(badToken.status).toBe(400);
    const stranger = await register(shard, SERVER, 'stranger');
    expect((await stranger.call('GET', roomPath(roomId, '/members'))).status).toBe(403);
  });
});

describe('leaving every room (account deactivation)', () => {
  test('leaves joined rooms, rejects invites', async () => {
    const dora = await register(shard, SERVER, 'dora');
    const first = await createRoom(dora);
    const second = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(dora, second);
    const invited = await createRoom(alice, { invite: [dora.userId] });
    const result = await leaveAllRooms(tenant, dora.userId);
    expect(result.left.sort()).toEqual([first, second, invited].sort());
    expect(result.failed).toEqual([]);
    const rooms = await dora.call('GET', `${CS}/joined_rooms`);
    expect(rooms.body).toEqual({ joined_rooms: [] });
    expect(await membershipOf(alice, invited, dora.userId)).toBe('leave');
  });
});

describe('deactivating an account over HTTP', () => {
  test('the user leaves their rooms and their invites are rejected', async () => {
    const erin = await register(shard, SERVER, 'erin');
    const shared = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(erin, shared);
    const invited = await createRoom(alice, { invite: [erin.userId] });
    const first = await erin.call('POST', `${CS}/account/deactivate`, {});
    expect(first.status).toBe(401);
    const session = (first.body as { session: string }).session;
    const done = await erin.call('POST', `${CS}/account/deactivate`, {
      auth: { type: 'm.login.password', session, identifier: { type: 'm.id.user', user: erin.userId }, password: 'correct horse battery staple' },
    });
    expect(done.status).toBe(200);
    expect(await membershipOf(alice, shared, erin.userId)).toBe('leave');
    expect(await membershipOf(alice, invited, erin.userId)).toBe('leave');
  });
});

describe('knocking', () => {
  test('knock by alias on a knock room, get invited, join; refusals per room and state', async () => {
    const roomId = await createRoom(alice, {
      room_version: '10',
      room_alias_name: 'knockers',
      initial_state: [{ type: 'm.room.join_rules', content: { join_rule: 'knock' } }],
    });
    const knocked = await bob.call('POST', `${CS}/knock/${enc('#knockers:members.example')}`, { reason: 'let me in' });
    expect(knocked.status).toBe(200);
    expect(knocked.body).toEqual({ room_id: roomId });
    expect(await membershipOf(alice, roomId, bob.userId)).toBe('knock');
    // An invited (or joined) user may not knock.
    await invite(alice, roomId, bob.userId);
    const whileInvited = await bob.call('POST', `${CS}/knock/${enc(roomId)}`, {});
    expect(whileInvited.status).toBe(403);
    await joinRoom(bob, roomId);
    expect(await membershipOf(alice, roomId, bob.userId)).toBe('join');

    const publicRoom = await createRoom(alice, { room_version: '10', preset: 'public_chat' });
    const onPublic = await carol.call('POST', `${CS}/knock/${enc(publicRoom)}`, {});
    expect(onPublic.status).toBe(403);
    expect(errcode(onPublic.body)).toBe('M_FORBIDDEN');
    const oldRoom = await createRoom(alice, { room_version: '6' });
    const onOld = await carol.call('POST', `${CS}/knock/${enc(oldRoom)}`, {});
    expect(onOld.status).toBe(403);
    const unknown = await carol.call('POST', `${CS}/knock/${enc('#nobody:members.example')}`, {});
    expect(unknown.status).toBe(404);
    const malformed = await carol.call('POST', `${CS}/knock/${enc(roomId)}`, { reason: 5 });
    expect(malformed.status).toBe(400);
  });
});

