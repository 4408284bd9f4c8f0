// /sync from the tenant's in-memory recent events (services/rooms/recent-events.ts) must be
// exactly the /sync the database computes. Differential: for each scenario in one room of
// three users, bob's incremental sync is computed twice from the same `since` — once with the
// log (asserted to cover the window, so the log path is really taken), once after dropping
// it (an empty log covers nothing: the database path) — with several filters, and the two
// responses compared whole, `unsigned.age` aside. Then a long-poll over HTTP, repeated, to
// catch races between the wake and the log.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateFilter, type Filter } from '../../../src/protocol/filters/index.ts';
import type { Viewer } from '../../../src/services/rooms/client-event.ts';
import type { RecentEvents } from '../../../src/services/rooms/recent-events.ts';
import { buildSync, type SyncResponse } from '../../../src/services/sync/build-sync.ts';
import { parseSyncToken, type SyncToken } from '../../../src/services/sync/sync-token.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import {
  CS,
  createOpenTenant,
  createRoom,
  enc,
  joinRoom,
  register,
  roomPath,
  sendText,
  startRoomsShard,
  sync,
  txn,
  type Client,
  type EventBody,
  type JoinedRoomBody,
} from './helpers.ts';

const SERVER = 'recent-sync.example';
let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;
let carol: Client;
let roomId: string;
let viewer: Viewer;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client];
  viewer = { userId: bob.userId, deviceId: bob.deviceId };
  roomId = await createRoom(alice, { preset: 'public_chat', name: 'Differential' });
  await joinRoom(bob, roomId);
  await joinRoom(carol, roomId);
});
afterAll(async () => shard?.close());

function filter(body: unknown): Filter {
  const validation = validateFilter(body);
  if (!validation.ok) throw new Error(validation.error);
  return validation.filter;
}

/** The filters every scenario is synced with. */
const FILTERS: Array<{ name: string; filter: Filter | undefined }> = [
  { name: 'no filter', filter: undefined },
  { name: 'lazy_load_members', filter: filter({ room: { state: { lazy_load_members: true } } }) },
  { name: 'timeline limit 2', filter: filter({ room: { timeline: { limit: 2 } } }) },
  { name: 'limit 2 + lazy_load_members', filter: filter({ room: { timeline: { limit: 2 }, state: { lazy_load_members: true } } }) },
  { name: 'not_types', filter: filter({ room: { timeline: { not_types: ['m.reaction', 'm.room.topic'] } } }) },
  { name: 'federation format', filter: filter({ event_format: 'federation' }) },
];

async function send(client: Client, type: string, content: Record<string, unknown>): Promise<string> {
  const res = await client.call('PUT', roomPath(roomId, `/send/${type}/${txn()}`), content);
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

async function setState(client: Client, type: string, content: Record<string, unknown>, stateKey = ''): Promise<string> {
  const res = await client.call('PUT', roomPath(roomId, `/state/${type}/${enc(stateKey)}`), content);
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

async function redact(client: Client, eventId: string): Promise<string> {
  const res = await client.call('PUT', roomPath(roomId, `/redact/${enc(eventId)}/${txn()}`), { reason: 'differential' });
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

async function setIgnored(client: Client, ignored: readonly string[]): Promise<void> {
  const res = await client.call('PUT', `${CS}/user/${enc(client.userId)}/account_data/m.ignored_user_list`, {
    ignored_users: Object.fromEntries(ignored.map((u) => [u, {}])),
  });
  expect(res.status, res.text).toBe(200);
}

/** A copy without what depends on when the response was computed (every unsigned.age,
 * presence's last_active_ago), as the JSON a client receives. */
function withoutAge(value: unknown): unknown {
  const json = JSON.parse(JSON.stringify(value)) as unknown;
  const strip = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(strip);
    else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      const unsigned = record.unsigned;
      if (typeof unsigned === 'object' && unsigned !== null) delete (unsigned as Record<string, unknown>).age;
      if (record.type === 'm.presence' && typeof record.content === 'object' && record.content !== null) delete (record.content as Record<string, unknown>).last_active_ago;
      Object.values(record).forEach(strip);
    }
  };
  strip(json);
  return json;
}

type DeviceMembers = Map<string, Map<string, string>>;
const lazyKey = (): string => `${viewer.userId}\u0000${viewer.deviceId}`;

/** The members the sync told bob's device about (services/sync/lazy-members.ts), copied. */
function snapshotLazyMembers(): DeviceMembers | undefined {
  const members = tenant.caches.lazyLoadedMembers?.get(lazyKey());
  return members && new Map([...members].map(([room, byUser]) => [room, new Map(byUser)]));
}

function restoreLazyMembers(snapshot: DeviceMembers | undefined): void {
  if (snapshot === undefined) tenant.caches.lazyLoadedMembers?.delete(lazyKey());
  else tenant.caches.lazyLoadedMembers?.set(lazyKey(), new Map([...snapshot].map(([room, byUser]) => [room, new Map(byUser)])));
}

/** The tenant's log as it is now (a function: TypeScript would keep an assignment's narrowing). */
function recentLog(): RecentEvents | undefined {
  return tenant.caches.recentEvents;
}

function eventsPosition(token: string): number {
  return (parseSyncToken(token) as SyncToken).events;
}

/** Bob's sync from `since` with the log and without it; both responses, after checking they match. */
async function bothPaths(since: string, syncFilter: Filter | undefined, label: string): Promise<SyncResponse> {
  const request = { since: parseSyncToken(since) as SyncToken, fullState: false, ...(syncFilter ? { filter: syncFilter } : {}) };
  const lazy = snapshotLazyMembers();
  const fromLog = (await buildSync(tenant, viewer, request)).response;
  // The log path was taken: the log holds every event of the window.
  const log = recentLog();
  expect(log?.covers(eventsPosition(since), eventsPosition(fromLog.next_batch)), `${label}: the log covers the window`).toBe(true);

  restoreLazyMembers(lazy);
  tenant.caches.recentEvents = undefined;
  let fromDatabase: SyncResponse;
  try {
    fromDatabase = (await buildSync(tenant, viewer, request)).response;
    // The fresh log held nothing, so the database answered.
    expect(recentLog()?.covers(eventsPosition(since), eventsPosition(fromDatabase.next_batch)) ?? false, `${label}: database path`).toBe(false);
  } finally {
    // Nothing was persisted meanwhile: the log is still complete for the next scenario.
    tenant.caches.recentEvents = log;
  }
  expect(fromDatabase.next_batch, label).toBe(fromLog.next_batch);
  expect(withoutAge(fromLog), `${label}: log path vs database path`).toEqual(withoutAge(fromDatabase));
  return fromLog;
}

/** Runs every filter; returns the log path's responses by filter name. */
async function differential(since: string): Promise<Map<string, SyncResponse>> {
  const responses = new Map<string, SyncResponse>();
  for (const { name, filter: syncFilter } of FILTERS) {
    const response = await bothPaths(since, syncFilter, name);
    // Not vacuous: the room is reported, with events.
    const room = response.rooms.join[roomId] ?? response.rooms.leave[roomId];
    expect(room, `${name}: room reported`).toBeDefined();
    expect(room?.timeline.events.length, `${name}: timeline`).toBeGreaterThan(0);
    responses.set(name, response);
  }
  return responses;
}

/** A fresh `since` for bob (an initial sync: the device starts afresh, lazy members too). */
async function bobSince(): Promise<string> {
  return (await sync(bob)).next_batch;
}

function joined(responses: Map<string, SyncResponse>, name = 'no filter'): JoinedRoomBody {
  const room = responses.get(name)?.rooms.join[roomId] as unknown as JoinedRoomBody | undefined;
  expect(room, name).toBeDefined();
  return room as JoinedRoomBody;
}

function timelineEvent(room: JoinedRoomBody, eventId: string): EventBody {
  const event = room.timeline.events.find((e) => e.event_id === eventId);
  expect(event, eventId).toBeDefined();
  return event as EventBody;
}

describe('log path and database path give the same sync', () => {
  test('plain messages, one sent by the syncing device (transaction_id)', async () => {
    const since = await bobSince();
    await sendText(alice, roomId, 'one');
    await sendText(carol, roomId, 'two');
    const own = await sendText(bob, roomId, 'three');
    await sendText(alice, roomId, 'four');
    const responses = await differential(since);
    const room = joined(responses);
    expect(room.timeline.events.map((e) => e.content.body)).toEqual(['one', 'two', 'three', 'four']);
    expect(timelineEvent(room, own).unsigned?.transaction_id).toEqual(expect.any(String));
    expect(joined(responses, 'timeline limit 2').timeline.limited).toBe(true);
  });

  test('state changes: topic and name (prev_content, replaces_state)', async () => {
    const since = await bobSince();
    await sendText(alice, roomId, 'before the topic');
    const topic = await setState(alice, 'm.room.topic', { topic: 'Differential testing' });
    await sendText(carol, roomId, 'between');
    const name = await setState(alice, 'm.room.name', { name: 'Renamed' });
    await sendText(carol, roomId, 'after the name');
    const room = joined(await differential(since));
    expect(timelineEvent(room, topic).content).toEqual({ topic: 'Differential testing' });
    expect(timelineEvent(room, name).unsigned?.prev_content).toEqual({ name: 'Differential' });
  });

  test('an edit and a thread reply to a message inside the window', async () => {
    const since = await bobSince();
    const parent = await sendText(alice, roomId, 'original');
    await send(alice, 'm.room.message', {
      msgtype: 'm.text',
      body: '* edited',
      'm.new_content': { msgtype: 'm.text', body: 'edited' },
      'm.relates_to': { rel_type: 'm.replace', event_id: parent },
    });
    await send(carol, 'm.room.message', { msgtype: 'm.text', body: 'in thread', 'm.relates_to': { rel_type: 'm.thread', event_id: parent } });
    await sendText(alice, roomId, 'after');
    // The log computes the aggregations itself: the parent is held.
    expect(recentLog()?.relationSummaries([parent], ['m.thread', 'm.replace'])).toBeDefined();
    const room = joined(await differential(since));
    const relations = timelineEvent(room, parent).unsigned?.['m.relations'] as Record<string, Record<string, unknown>> | undefined;
    expect(relations?.['m.thread']?.count).toBe(1);
    expect((relations?.['m.replace'] as { content?: { body?: string } } | undefined)?.content?.body).toBe('* edited');
  });

  test('an edit and a thread reply to a message before the window', async () => {
    const parent = await sendText(alice, roomId, 'old message');
    await send(carol, 'm.room.message', { msgtype: 'm.text', body: 'old thread reply', 'm.relates_to': { rel_type: 'm.thread', event_id: parent } });
    const since = await bobSince();
    await send(alice, 'm.room.message', {
      msgtype: 'm.text',
      body: '* old, edited',
      'm.new_content': { msgtype: 'm.text', body: 'old, edited' },
      'm.relates_to': { rel_type: 'm.replace', event_id: parent },
    });
    await send(bob, 'm.room.message', { msgtype: 'm.text', body: 'late thread reply', 'm.relates_to': { rel_type: 'm.thread', event_id: parent } });
    await sendText(carol, roomId, 'unrelated');
    await differential(since);
  });

  test('after a log restart: the window from the log, aggregations of older events from the database', async () => {
    const older = await sendText(alice, roomId, 'before the restart');
    const since = await bobSince();
    // The log starts again at the next event (as after a gap that did not close).
    tenant.caches.recentEvents = undefined;
    const parent = await sendText(carol, roomId, 'first after the restart');
    await send(alice, 'm.room.message', { msgtype: 'm.text', body: 'threaded', 'm.relates_to': { rel_type: 'm.thread', event_id: parent } });
    await send(carol, 'm.room.message', {
      msgtype: 'm.text',
      body: '* fixed',
      'm.new_content': { msgtype: 'm.text', body: 'fixed' },
      'm.relates_to': { rel_type: 'm.replace', event_id: parent },
    });
    expect(recentLog()?.relationSummaries([older], ['m.thread'])).toBeUndefined();
    expect(recentLog()?.relationSummaries([parent], ['m.thread'])).toBeDefined();
    const relations = timelineEvent(joined(await differential(since)), parent).unsigned?.['m.relations'] as Record<string, unknown> | undefined;
    expect(Object.keys(relations ?? {}).sort()).toEqual(['m.replace', 'm.thread']);
  });

  test('a reaction', async () => {
    const since = await bobSince();
    const target = await sendText(alice, roomId, 'react to me');
    await send(carol, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: target, key: '👍' } });
    await sendText(alice, roomId, 'after the reaction');
    const responses = await differential(since);
    expect(joined(responses).timeline.events.some((e) => e.type === 'm.reaction')).toBe(true);
    expect(joined(responses, 'not_types').timeline.events.some((e) => e.type === 'm.reaction')).toBe(false);
  });

  test('a redaction of an event inside the window and of one before it', async () => {
    const outside = await sendText(carol, roomId, 'redact me later');
    const since = await bobSince();
    const inside = await sendText(alice, roomId, 'redact me now');
    await sendText(carol, roomId, 'bystander');
    const redactionIn = await redact(alice, inside);
    await redact(carol, outside);
    await sendText(alice, roomId, 'after the redactions');
    const room = joined(await differential(since));
    const redacted = timelineEvent(room, inside);
    expect(redacted.content).toEqual({});
    expect((redacted.unsigned?.redacted_because as { event_id?: string } | undefined)?.event_id).toBe(redactionIn);
  });

  test('an event redacted twice: the first redaction is the one served', async () => {
    const since = await bobSince();
    const target = await sendText(alice, roomId, 'redact me twice');
    const first = await redact(alice, target);
    await redact(alice, target);
    await sendText(carol, roomId, 'after the double redaction');
    const room = joined(await differential(since));
    expect((timelineEvent(room, target).unsigned?.redacted_because as { event_id?: string } | undefined)?.event_id).toBe(first);
  });

  test('a member leaving and joining again', async () => {
    const since = await bobSince();
    await sendText(carol, roomId, 'bye');
    const left = await carol.call('POST', roomPath(roomId, '/leave'), {});
    expect(left.status, left.text).toBe(200);
    await sendText(alice, roomId, 'carol left');
    await joinRoom(carol, roomId);
    await sendText(carol, roomId, 'back');
    const room = joined(await differential(since));
    expect(room.timeline.events.filter((e) => e.type === 'm.room.member' && e.state_key === carol.userId).map((e) => e.content.membership)).toEqual(['leave', 'join']);
  });

  test('messages from a user the syncing user ignores', async () => {
    await setIgnored(bob, [carol.userId]);
    try {
      const since = await bobSince();
      await sendText(carol, roomId, 'ignored one');
      await sendText(alice, roomId, 'visible');
      await sendText(carol, roomId, 'ignored two');
      // State set by an ignored user still shows.
      await setState(carol, 'm.room.member', { membership: 'join', displayname: 'Ignored Carol' }, carol.userId);
      const room = joined(await differential(since));
      expect(room.timeline.events.filter((e) => e.type === 'm.room.message').map((e) => e.content.body)).toEqual(['visible']);
    } finally {
      await setIgnored(bob, []);
    }
  });

  test('the syncing user leaves: the room ends at the departure', async () => {
    const since = await bobSince();
    await sendText(alice, roomId, 'last words bob sees');
    const left = await bob.call('POST', roomPath(roomId, '/leave'), {});
    expect(left.status, left.text).toBe(200);
    await sendText(alice, roomId, 'bob does not see this');
    for (const response of (await differential(since)).values()) {
      const room = response.rooms.leave[roomId];
      expect(room?.timeline.events.some((e) => (e as EventBody).content.body === 'bob does not see this')).toBe(false);
    }
  });
});

describe('long-polling over HTTP', () => {
  test('a long-poll is woken by a message and reports it with one unread notification, ten times', async () => {
    const pollRoom = await createRoom(alice, { preset: 'public_chat' });
    const reader = await register(shard, SERVER, 'reader');
    const joinRes = await reader.call('POST', roomPath(pollRoom, '/join'), {});
    expect(joinRes.status, joinRes.text).toBe(200);
    let nextBatch = (await sync(reader)).next_batch;
    for (let i = 0; i < 10; i++) {
      // The previous message is read; a quick sync takes that in, then the long-poll starts.
      nextBatch = (await sync(reader, { since: nextBatch, timeout: 0 })).next_batch;
      const polling = sync(reader, { since: nextBatch, timeout: 10_000 });
      // Half the rounds send while the poll is waiting, half at once (it may still be starting).
      if (i % 2 === 0) {
        for (let w = 0; w < 500 && tenant.notifier.waiting === 0; w++) await new Promise((r) => setTimeout(r, 10));
        expect(tenant.notifier.waiting, `round ${i}`).toBeGreaterThan(0);
      }
      const eventId = await sendText(alice, pollRoom, `message ${i}`);
      const response = await polling;
      const room = response.rooms?.join?.[pollRoom];
      expect(room?.timeline.events.map((e) => e.event_id), `round ${i}`).toContain(eventId);
      expect(room?.unread_notifications.notification_count, `round ${i}`).toBe(1);
      nextBatch = response.next_batch;
      const receipt = await reader.call('POST', roomPath(pollRoom, `/receipt/m.read/${enc(eventId)}`), {});
      expect(receipt.status, receipt.text).toBe(200);
    }
  });
});
