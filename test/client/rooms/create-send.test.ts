// POST /createRoom, PUT /send, PUT and GET state, GET /state over HTTP; every response
// checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callTenant } from '../../helpers/http.ts';
import { expectSpecSchema } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import {
  CS,
  call,
  createOpenTenant,
  createRoom,
  enc,
  expectConforms,
  invite,
  joinRoom,
  login,
  register,
  roomPath,
  sendText,
  startRoomsShard,
  txn,
  type Client,
  type EventBody,
} from './helpers.ts';

const SERVER = 'send.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let eve: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  [alice, bob, eve] = await Promise.all([register(shard, SERVER, 'alice'), register(shard, SERVER, 'bob'), register(shard, SERVER, 'eve')]);
});
afterAll(async () => shard?.close());

describe('POST /createRoom', () => {
  test('creates a room the creator is joined to, with name, topic and alias', async () => {
    const res = await alice.call('POST', `${CS}/createRoom`, { name: 'Praxis', topic: 'Team', room_alias_name: 'praxis', preset: 'public_chat' });
    expect(res.status).toBe(200);
    const roomId = (res.body as { room_id: string }).room_id;
    const name = await alice.call('GET', roomPath(roomId, '/state/m.room.name'));
    expect(name.body).toEqual({ name: 'Praxis' });
    const joined = await alice.call('GET', `${CS}/joined_rooms`);
    expect((joined.body as { joined_rooms: string[] }).joined_rooms).toContain(roomId);
    const alias = await call(shard, SERVER, 'GET', `${CS}/directory/room/${enc('#praxis:send.example')}`);
    expect(alias.body).toMatchObject({ room_id: roomId });
  });

  test('an empty body creates a private room; the creator join carries no stray fields', async () => {
    const roomId = await createRoom(alice);
    const rules = await alice.call('GET', roomPath(roomId, '/state/m.room.join_rules/'));
    expect(rules.body).toEqual({ join_rule: 'invite' });
    const res = await callTenant(shard.url, SERVER, `${CS}/createRoom`, { method: 'POST', token: alice.token });
    await expectConforms('POST', `${CS}/createRoom`, res);
    expect(res.status).toBe(200);
  });

  test('errors: bad JSON, not JSON, unsupported room version, taken alias, no token, bad token', async () => {
    const badPreset = await alice.call('POST', `${CS}/createRoom`, { preset: 'party' });
    expect(badPreset.status).toBe(400);
    expect((badPreset.body as { errcode: string }).errcode).toBe('M_BAD_JSON');

    const notJson = await callTenant(shard.url, SERVER, `${CS}/createRoom`, { method: 'POST', token: alice.token, rawBody: '{nope' });
    await expectConforms('POST', `${CS}/createRoom`, notJson);
    expect((notJson.body as { errcode: string }).errcode).toBe('M_NOT_JSON');

    const version = await alice.call('POST', `${CS}/createRoom`, { room_version: '999' });
    expect(version.status).toBe(400);
    expect((version.body as { errcode: string }).errcode).toBe('M_UNSUPPORTED_ROOM_VERSION');

    await createRoom(alice, { room_alias_name: 'taken' });
    const taken = await alice.call('POST', `${CS}/createRoom`, { room_alias_name: 'taken' });
    expect(taken.status).toBe(400);
    expect((taken.body as { errcode: string }).errcode).toBe('M_ROOM_IN_USE');

    const noToken = await call(shard, SERVER, 'POST', `${CS}/createRoom`, { body: {} });
    expect(noToken.status).toBe(401);
    expect((noToken.body as { errcode: string }).errcode).toBe('M_MISSING_TOKEN');

    const badToken = await call(shard, SERVER, 'POST', `${CS}/createRoom`, { body: {}, token: 'syt_nope' });
    expect(badToken.status).toBe(401);
    expect((badToken.body as { errcode: string }).errcode).toBe('M_UNKNOWN_TOKEN');
  });
});

describe('PUT /rooms/{roomId}/send/{eventType}/{txnId}', () => {
  test('sends a message; the same transaction ID on the same device returns the same event', async () => {
    const roomId = await createRoom(alice);
    const id = txn();
    const path = roomPath(roomId, `/send/m.room.message/${id}`);
    const first = await alice.call('PUT', path, { msgtype: 'm.text', body: 'hello' });
    expect(first.status).toBe(200);
    const again = await alice.call('PUT', path, { msgtype: 'm.text', body: 'hello' });
    expect(again.body).toEqual(first.body);

    // Another device of the same user has its own transaction IDs.
    const laptop = await login(shard, SERVER, alice.userId);
    const other = await laptop.call('PUT', path, { msgtype: 'm.text', body: 'hello' });
    expect(other.status).toBe(200);
    expect(other.body).not.toEqual(first.body);

    // transaction_id only for the sending device.
    const eventId = (first.body as { event_id: string }).event_id;
    const mine = await alice.call('GET', roomPath(roomId, `/event/${enc(eventId)}`));
    expect((mine.body as EventBody).unsigned?.transaction_id).toBe(id);
    const theirs = await laptop.call('GET', roomPath(roomId, `/event/${enc(eventId)}`));
    expect((theirs.body as EventBody).unsigned?.transaction_id).toBeUndefined();
    expect(theirs.body).toMatchObject({ event_id: eventId, room_id: roomId, type: 'm.room.message', sender: alice.userId, content: { body: 'hello' } });
  });

  test('errors: not a member (403), unknown room (404), body not an object (400), too large (413), no token (401)', async () => {
    const roomId = await createRoom(alice);
    const stranger = await eve.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), { body: 'x' });
    expect(stranger.status).toBe(403);
    expect((stranger.body as { errcode: string }).errcode).toBe('M_FORBIDDEN');

    const unknown = await alice.call('PUT', roomPath('!nope:send.example', `/send/m.room.message/${txn()}`), { body: 'x' });
    expect(unknown.status).toBe(404);
    expect((unknown.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');

    const array = await alice.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), [1, 2]);
    expect(array.status).toBe(400);
    expect((array.body as { errcode: string }).errcode).toBe('M_BAD_JSON');

    const big = await alice.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), { body: 'x'.repeat(70_000) });
    expect(big.status).toBe(413);
    expect((big.body as { errcode: string }).errcode).toBe('M_TOO_LARGE');

    const float = await alice.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), { body: 'x', n: 1.5 });
    expect(float.status).toBe(400);
    expect((float.body as { errcode: string }).errcode).toBe('M_BAD_JSON');

    const noToken = await call(shard, SERVER, 'PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), { body: { body: 'x' } });
    expect(noToken.status).toBe(401);
    expect((noToken.body as { errcode: string }).errcode).toBe('M_MISSING_TOKEN');
  });
});

describe('room state', () => {
  test('PUT and GET a state event, with and without a state key, as content or event', async () => {
    const roomId = await createRoom(alice);
    const topic = await alice.call('PUT', roomPath(roomId, '/state/m.room.topic'), { topic: 'one' });
    expect(topic.status).toBe(200);
    const withSlash = await alice.call('PUT', roomPath(roomId, '/state/m.room.topic/'), { topic: 'two' });
    expect(withSlash.status).toBe(200);
    const content = await alice.call('GET', roomPath(roomId, '/state/m.room.topic'));
    expect(content.body).toEqual({ topic: 'two' });
    // The spec's oneOf (any object | a state event) cannot match exactly one branch for an
    // event, so the event form is checked against the state event schema itself.
    const event = await callTenant(shard.url, SERVER, roomPath(roomId, '/state/m.room.topic/?format=event'), { token: alice.token });
    expect(event.status).toBe(200);
    await expectSpecSchema('client-server', '../../event-schemas/schema/core-event-schema/state_event.yaml', event.body);
    expect(event.body).toMatchObject({
      type: 'm.room.topic',
      state_key: '',
      room_id: roomId,
      event_id: (withSlash.body as { event_id: string }).event_id,
      unsigned: { replaces_state: (topic.body as { event_id: string }).event_id, prev_content: { topic: 'one' } },
    });

    const custom = await alice.call('PUT', roomPath(roomId, `/state/org.example.pet/${enc('cat/1')}`), { name: 'Minka' });
    expect(custom.status).toBe(200);
    const pet = await alice.call('GET', roomPath(roomId, `/state/org.example.pet/${enc('cat/1')}`));
    expect(pet.body).toEqual({ name: 'Minka' });

    // Setting the same content again is idempotent.
    const same = await alice.call('PUT', roomPath(roomId, `/state/org.example.pet/${enc('cat/1')}`), { name: 'Minka' });
    expect(same.body).toEqual(custom.body);
  });

  test('GET /state lists the current state; members who left see the state at their departure', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat', name: 'Before' });
    await joinRoom(bob, roomId);
    const left = await bob.call('POST', roomPath(roomId, '/leave'), {});
    expect(left.status).toBe(200);
    await alice.call('PUT', roomPath(roomId, '/state/m.room.name'), { name: 'After' });

    const all = await alice.call('GET', roomPath(roomId, '/state'));
    expect(all.status).toBe(200);
    const events = all.body as EventBody[];
    expect(events.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'After' });
    expect(events.some((e) => e.type === 'm.room.create')).toBe(true);

    const bobs = await bob.call('GET', roomPath(roomId, '/state'));
    expect(bobs.status).toBe(200);
    expect((bobs.body as EventBody[]).find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'Before' });
    const bobName = await bob.call('GET', roomPath(roomId, '/state/m.room.name'));
    expect(bobName.body).toEqual({ name: 'Before' });
  });

  test('errors: never a member (403), missing state (404), insufficient power (403), bad alias (400)', async () => {
    const roomId = await createRoom(alice, { invite: [bob.userId] });
    const stranger = await eve.call('GET', roomPath(roomId, '/state'));
    expect(stranger.status).toBe(403);
    expect((stranger.body as { errcode: string }).errcode).toBe('M_FORBIDDEN');
    const strangerOne = await eve.call('GET', roomPath(roomId, '/state/m.room.create'));
    expect(strangerOne.status).toBe(403);
    // Invited is not (yet) a member.
    const invited = await bob.call('GET', roomPath(roomId, '/state'));
    expect(invited.status).toBe(403);

    const missing = await alice.call('GET', roomPath(roomId, '/state/m.room.topic'));
    expect(missing.status).toBe(404);
    expect((missing.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');

    await joinRoom(bob, roomId);
    const weak = await bob.call('PUT', roomPath(roomId, '/state/m.room.name'), { name: 'mine' });
    expect(weak.status).toBe(403);
    expect((weak.body as { errcode: string }).errcode).toBe('M_FORBIDDEN');

    const invalid = await alice.call('PUT', roomPath(roomId, '/state/m.room.canonical_alias'), { alias: 'not an alias' });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
    const elsewhere = await createRoom(alice, { room_alias_name: 'elsewhere' });
    expect(elsewhere).toBeTruthy();
    const wrongRoom = await alice.call('PUT', roomPath(roomId, '/state/m.room.canonical_alias'), { alias: '#elsewhere:send.example' });
    expect(wrongRoom.status).toBe(400);
    expect((wrongRoom.body as { errcode: string }).errcode).toBe('M_BAD_ALIAS');

    const notObject = await alice.call('PUT', roomPath(roomId, '/state/m.room.topic'), 'text');
    expect(notObject.status).toBe(400);
    const badFormat = await alice.call('GET', roomPath(roomId, '/state/m.room.create?format=xml'));
    expect(badFormat.status).toBe(400);
  });

  test('state keys longer than a hundred characters and user-ID keys work', async () => {
    const roomId = await createRoom(alice);
    const key = `${'x'.repeat(200)}:send.example`;
    const put = await alice.call('PUT', roomPath(roomId, `/state/org.example.long/${enc(key)}`), { ok: true });
    expect(put.status).toBe(200);
    const get = await alice.call('GET', roomPath(roomId, `/state/org.example.long/${enc(key)}`));
    expect(get.body).toEqual({ ok: true });
    await invite(alice, roomId, bob.userId);
    const member = await alice.call('GET', roomPath(roomId, `/state/m.room.member/${enc(bob.userId)}`));
    expect(member.body).toMatchObject({ membership: 'invite' });
    // Keys naming another user are refused by the auth rules.
    const other = await alice.call('PUT', roomPath(roomId, `/state/org.example.long/${enc(bob.userId)}`), { ok: true });
    expect(other.status).toBe(403);
    expect(await sendText(alice, roomId, 'still fine')).toMatch(/^\$/);
  });
});

describe('long state histories', () => {
  test('state stays right past the state-group chain limit (full snapshots between deltas)', async () => {
    const roomId = await createRoom(alice);
    const ids: string[] = [];
    for (let i = 0; i < 70; i++) {
      const res = await alice.call('PUT', roomPath(roomId, `/state/org.example.counter/${i % 3}`), { i });
      ids.push((res.body as { event_id: string }).event_id);
    }
    const state = await alice.call('GET', roomPath(roomId, '/state'));
    const counters = (state.body as EventBody[]).filter((e) => e.type === 'org.example.counter').map((e) => [e.state_key, e.content.i]);
    expect(counters.sort()).toEqual([
      ['0', 69],
      ['1', 67],
      ['2', 68],
    ]);
    // The state before an old event, through /context's state at the event.
    const context = await alice.call('GET', roomPath(roomId, `/context/${enc(ids[35] as string)}?limit=0`));
    const then = (context.body as { state: EventBody[] }).state.filter((e) => e.type === 'org.example.counter').map((e) => [e.state_key, e.content.i]);
    expect(then.sort()).toEqual([
      ['0', 33],
      ['1', 34],
      ['2', 35],
    ]);
  });
});

describe('hostile input', () => {
  test('NUL characters, lone surrogates, odd IDs and deep paths are 4xx, never 500', async () => {
    const roomId = await createRoom(alice);
    const requests: Array<[string, string, string | undefined]> = [
      ['PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), '{"body":"a\\u0000b"}'],
      ['PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), '{"body":"\\ud800"}'],
      ['PUT', roomPath(roomId, `/state/org.example.x/${enc('a\u0000b')}`), '{}'],
      ['PUT', roomPath(roomId, `/send/m.room.message/${enc('t\u0000')}`), '{}'],
      ['GET', roomPath('!a\u0000:send.example', '/state'), undefined],
      ['GET', roomPath(roomId, `/event/${enc('$a\u0000')}`), undefined],
      ['GET', roomPath(roomId, `/messages?dir=b&from=${enc('s1_e1\u0000')}`), undefined],
      ['POST', `${CS}/join/${enc('#a\u0000:send.example')}`, '{}'],
      ['POST', roomPath(roomId, '/invite'), '{"user_id":"@a\\u0000:send.example"}'],
      ['GET', `${CS}/directory/room/${enc('#a\u0000:send.example')}`, undefined],
      ['PUT', roomPath(roomId, `/state/${'t'.repeat(300)}`), '{}'],
      ['GET', `${CS}/sync?since=${enc('s1_e\u0000')}`, undefined],
      ['GET', `${CS}/sync?filter=${enc('{"room":{"rooms":["!a\u0000"]}}')}`, undefined],
    ];
    for (const [method, path, rawBody] of requests) {
      const res = await callTenant(shard.url, SERVER, path, { method, token: alice.token, ...(rawBody !== undefined ? { rawBody } : {}) });
      expect(res.status, `${method} ${path}: ${res.text}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(500);
      await expectSpecSchema('client-server', 'definitions/errors/error.yaml', res.body);
    }
  });
});
