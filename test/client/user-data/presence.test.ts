// Presence over HTTP: setting one's own state, who may read it (self and users sharing a
// room), validation, waking the syncs of everyone sharing a room; the derived states (idle,
// gone) as a pure function; and the sync part presenceSince().
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CURRENTLY_ACTIVE_MS, GONE_TIMEOUT_MS, IDLE_TIMEOUT_MS, presenceContent } from '../../../src/services/presence/presence-view.ts';
import { presenceSince } from '../../../src/services/sync-parts/presence.ts';
import { streamPositions } from '../../../src/storage/sync-head.ts';
import type { StoredPresence } from '../../../src/storage/presence.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { currentContext } from './helpers.ts';
import { call, CS, createOpenTenant, createRoom, enc, joinRoom, register, startRoomsShard, type Client } from '../rooms/helpers.ts';

const HS = 'presence.example';
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

const statusPath = (userId: string): string => `${CS}/presence/${enc(userId)}/status`;

async function positions(): Promise<{ presence: number; events: number }> {
  return streamPositions(await ctx(), ['presence', 'events']);
}

describe('setting and reading', () => {
  test('a user who never set presence is offline', async () => {
    const res = await carol.call('GET', statusPath(carol.userId));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ presence: 'offline' });
  });

  test('PUT online with a status message; GET shows it with last_active_ago and currently_active', async () => {
    expect((await alice.call('PUT', statusPath(alice.userId), { presence: 'online', status_msg: 'In der Praxis' })).body).toEqual({});
    const res = await alice.call('GET', statusPath(alice.userId));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ presence: 'online', status_msg: 'In der Praxis', currently_active: true });
    expect((res.body as { last_active_ago: number }).last_active_ago).toBeGreaterThanOrEqual(0);
  });

  test('unavailable and offline; without status_msg the message is gone', async () => {
    await alice.call('PUT', statusPath(alice.userId), { presence: 'unavailable' });
    const res = await alice.call('GET', statusPath(alice.userId));
    expect(res.body).toMatchObject({ presence: 'unavailable' });
    expect(res.body).not.toHaveProperty('status_msg');
    expect(res.body).not.toHaveProperty('currently_active');
    await alice.call('PUT', statusPath(alice.userId), { presence: 'offline', status_msg: 'Urlaub' });
    expect((await alice.call('GET', statusPath(alice.userId))).body).toMatchObject({ presence: 'offline', status_msg: 'Urlaub' });
  });

  test('nobody sets another user’s presence', async () => {
    const res = await bob.call('PUT', statusPath(alice.userId), { presence: 'online' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('invalid bodies', async () => {
    for (const [body, errcode] of [
      [{}, 'M_MISSING_PARAM'],
      [{ presence: 'busy' }, 'M_INVALID_PARAM'],
      [{ presence: 1 }, 'M_BAD_JSON'],
      [{ presence: 'online', status_msg: 5 }, 'M_BAD_JSON'],
      [{ presence: 'online', status_msg: 'x'.repeat(1025) }, 'M_INVALID_PARAM'],
      [{ presence: 'online', status_msg: 'a\u0000' }, 'M_BAD_JSON'],
    ] as const) {
      const res = await alice.call('PUT', statusPath(alice.userId), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
  });
});

describe('visibility', () => {
  test('users sharing a room see each other’s presence; others get 403', async () => {
    await alice.call('PUT', statusPath(alice.userId), { presence: 'online' });
    expect((await bob.call('GET', statusPath(alice.userId))).body).toMatchObject({ presence: 'online' });
    const res = await carol.call('GET', statusPath(alice.userId));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('sharing ends when one leaves the room', async () => {
    const dave = await register(shard, HS, 'dave');
    await joinRoom(dave, roomId);
    expect((await dave.call('GET', statusPath(alice.userId))).status).toBe(200);
    await dave.call('POST', `${CS}/rooms/${enc(roomId)}/leave`, {});
    expect((await dave.call('GET', statusPath(alice.userId))).status).toBe(403);
  });

  test('unknown and remote users are 404', async () => {
    for (const userId of [`@ghost:${HS}`, '@alice:elsewhere.example']) {
      const res = await alice.call('GET', statusPath(userId));
      expect(res.status, userId).toBe(404);
      expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    }
  });

  test('needs an access token', async () => {
    expect((await call(shard, HS, 'GET', statusPath(alice.userId))).status).toBe(401);
  });
});

describe('activity', () => {
  test('sending a message makes an unavailable user online again', async () => {
    await alice.call('PUT', statusPath(alice.userId), { presence: 'unavailable' });
    expect((await alice.call('GET', statusPath(alice.userId))).body).toMatchObject({ presence: 'unavailable' });
    const sent = await alice.call('PUT', `${CS}/rooms/${enc(roomId)}/send/m.room.message/activity-1`, { msgtype: 'm.text', body: 'hi' });
    expect(sent.status).toBe(200);
    expect((await bob.call('GET', statusPath(alice.userId))).body).toMatchObject({ presence: 'online', currently_active: true });
  });
});

describe('waking syncs', () => {
  test('a change wakes the user and everyone sharing a room, nobody else', async () => {
    await alice.call('PUT', statusPath(alice.userId), { presence: 'unavailable' });
    const notifier = (await ctx()).notifier;
    const waiters = [alice, bob, carol].map((c) => notifier.wait(c.userId, 5_000));
    await alice.call('PUT', statusPath(alice.userId), { presence: 'online', status_msg: 'back' });
    const [a, b] = await Promise.all([waiters[0]?.promise, waiters[1]?.promise]);
    expect([a, b]).toEqual([true, true]);
    // Carol shares no room with Alice: her wait is still pending (cancel it: false).
    waiters[2]?.cancel();
    expect(await waiters[2]?.promise).toBe(false);
  });

  test('repeating the same state takes no new stream position', async () => {
    await alice.call('PUT', statusPath(alice.userId), { presence: 'online', status_msg: 'same' });
    const before = (await positions()).presence;
    await alice.call('PUT', statusPath(alice.userId), { presence: 'online', status_msg: 'same' });
    expect((await positions()).presence).toBe(before);
    await alice.call('PUT', statusPath(alice.userId), { presence: 'online', status_msg: 'different' });
    expect((await positions()).presence).toBe(before + 1);
  });
});

describe('presenceSince (the sync part)', () => {
  test('reports changes of visible users since a position, with their profile', async () => {
    const start = await positions();
    await bob.call('PUT', statusPath(bob.userId), { presence: 'online', status_msg: 'sync me' });
    await carol.call('PUT', statusPath(carol.userId), { presence: 'online' });
    const now = await positions();
    const events = await presenceSince(await ctx(), alice.userId, { since: start.presence, upTo: now.presence, eventsSince: start.events, eventsUpTo: now.events });
    expect(events.map((e) => e.sender)).toEqual([bob.userId]);
    expect(events[0]).toMatchObject({ type: 'm.presence', sender: bob.userId, content: { presence: 'online', status_msg: 'sync me', displayname: 'bob' } });
    // Nothing new after `now`.
    expect(await presenceSince(await ctx(), alice.userId, { since: now.presence, upTo: now.presence, eventsSince: now.events, eventsUpTo: now.events })).toEqual([]);
  });

  test('an initial sync lists visible users who are not offline, the user included', async () => {
    const now = await positions();
    await alice.call('PUT', statusPath(alice.userId), { presence: 'online' });
    const after = await positions();
    const events = await presenceSince(await ctx(), alice.userId, { since: null, upTo: after.presence, eventsSince: null, eventsUpTo: after.events });
    expect(events.map((e) => e.sender).sort()).toEqual([alice.userId, bob.userId].sort());
    expect(now.presence).toBeLessThan(after.presence);
  });

  test('a user who becomes visible by joining a shared room is reported unchanged', async () => {
    const erin = await register(shard, HS, 'erin');
    await erin.call('PUT', statusPath(erin.userId), { presence: 'online', status_msg: 'new here' });
    const start = await positions();
    await joinRoom(erin, roomId);
    const now = await positions();
    expect(now.presence).toBe(start.presence);
    const events = await presenceSince(await ctx(), alice.userId, { since: start.presence, upTo: now.presence, eventsSince: start.events, eventsUpTo: now.events });
    expect(events.map((e) => e.sender)).toContain(erin.userId);
  });

  test('a profile change re-announces presence with the new display name', async () => {
    const start = await positions();
    await bob.call('PUT', `${CS}/profile/${enc(bob.userId)}/displayname`, { displayname: 'Bob Builder' });
    const now = await positions();
    const events = await presenceSince(await ctx(), alice.userId, { since: start.presence, upTo: now.presence, eventsSince: start.events, eventsUpTo: now.events });
    expect(events.find((e) => e.sender === bob.userId)?.content).toMatchObject({ displayname: 'Bob Builder' });
  });
});

describe('derived state (pure)', () => {
  const NOW = 1_800_000_000_000;
  const row = (fields: Partial<StoredPresence>): StoredPresence => ({
    userId: '@u:x',
    state: 'online',
    statusMsg: null,
    lastActiveTs: NOW,
    lastSyncTs: null,
    streamId: 1,
    ...fields,
  });

  test('online and active', () => {
    expect(presenceContent(row({}), NOW)).toEqual({ presence: 'online', last_active_ago: 0, currently_active: true });
    expect(presenceContent(row({ lastActiveTs: NOW - CURRENTLY_ACTIVE_MS - 1 }), NOW)).toMatchObject({ presence: 'online', currently_active: false });
  });

  test('online but idle is unavailable', () => {
    expect(presenceContent(row({ lastActiveTs: NOW - IDLE_TIMEOUT_MS - 1, lastSyncTs: NOW }), NOW)).toMatchObject({ presence: 'unavailable' });
  });

  test('neither active nor syncing for long is offline', () => {
    expect(presenceContent(row({ lastActiveTs: NOW - GONE_TIMEOUT_MS - 1 }), NOW).presence).toBe('offline');
    expect(presenceContent(row({ state: 'unavailable', lastActiveTs: NOW - GONE_TIMEOUT_MS - 1, lastSyncTs: NOW - 1000 }), NOW).presence).toBe('unavailable');
  });

  test('no row is offline', () => {
    expect(presenceContent(undefined, NOW)).toEqual({ presence: 'offline' });
  });
});
