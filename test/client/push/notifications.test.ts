// Push rule evaluation on the send path and what it feeds: unread counts (through /sync and
// unreadCounts()), GET /notifications, resetting counts by receipts, own messages and
// markRead, threads, mentions, DM and encrypted-room rules, the user's own rules, ignored
// users, invites and tenant isolation. Every response is checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { markRead } from '../../../src/services/push/mark-read.ts';
import { unreadCounts } from '../../../src/services/push/unread-counts.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { getEvent } from '../../../src/storage/rooms/events.ts';
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
} from '../rooms/helpers.ts';

const SERVER = 'notify.example';
const OTHER = 'other-notify.example';
let shard: TestShard;
let tenant: TenantContext;
let otherTenant: TenantContext;
let alice: Client;
let bob: Client;
let carol: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
  otherTenant = await createOpenTenant(shard, OTHER);
  [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client];
});
afterAll(async () => shard?.close());

interface Counts {
  notification_count: number;
  highlight_count: number;
}
interface NotificationBody {
  actions: unknown[];
  event: { event_id: string; type: string; sender: string; content: Record<string, unknown>; room_id?: string };
  read: boolean;
  room_id: string;
  ts: number;
}

async function send(client: Client, roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
  const res = await client.call('PUT', roomPath(roomId, `/send/${enc(type)}/${txn()}`), content);
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

async function counts(client: Client, roomId: string): Promise<{ main: Counts; total: Counts; threads: Map<string, Counts> }> {
  const result = (await unreadCounts(tenant, client.userId, [roomId])).get(roomId);
  expect(result).toBeDefined();
  return result as { main: Counts; total: Counts; threads: Map<string, Counts> };
}

async function notifications(client: Client, query = ''): Promise<{ notifications: NotificationBody[]; next_token?: string }> {
  const res = await client.call('GET', `${CS}/notifications${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { notifications: NotificationBody[]; next_token?: string };
}

async function receipt(client: Client, roomId: string, eventId: string, type = 'm.read', body: Record<string, unknown> = {}): Promise<void> {
  const res = await client.call('POST', roomPath(roomId, `/receipt/${type}/${enc(eventId)}`), body);
  expect(res.status, res.text).toBe(200);
}

/** A room of `creator` that `members` joined. */
async function roomWith(creator: Client, members: Client[], body: Record<string, unknown> = { preset: 'public_chat' }): Promise<string> {
  const roomId = await createRoom(creator, body);
  for (const member of members) await joinRoom(member, roomId);
  return roomId;
}

const MESSAGE_ACTIONS = ['notify'];
const ONE_TO_ONE_ACTIONS = ['notify', { set_tweak: 'sound', value: 'default' }];

describe('counting notifications', () => {
  let roomId: string;
  let mention: string;

  test('a message notifies the other member, not the sender', async () => {
    roomId = await roomWith(alice, [bob]);
    await sendText(alice, roomId, 'hello bob');
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 1, highlight_count: 0 });
    expect((await counts(alice, roomId)).total).toEqual({ notification_count: 0, highlight_count: 0 });
    const synced = await sync(bob);
    expect(synced.rooms?.join?.[roomId]?.unread_notifications).toEqual({ notification_count: 1, highlight_count: 0 });
  });

  test('a mention (m.mentions user_ids) highlights', async () => {
    mention = await send(alice, roomId, 'm.room.message', { msgtype: 'm.text', body: 'bob: look', 'm.mentions': { user_ids: [bob.userId] } });
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 2, highlight_count: 1 });
    const synced = await sync(bob);
    expect(synced.rooms?.join?.[roomId]?.unread_notifications).toEqual({ notification_count: 2, highlight_count: 1 });
    // A mention of someone else does not highlight for bob.
    await send(alice, roomId, 'm.room.message', { msgtype: 'm.text', body: 'carol?', 'm.mentions': { user_ids: [carol.userId] } });
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 3, highlight_count: 1 });
  });

  test('the count arrives in the same incremental sync as the event', async () => {
    const before = await sync(bob);
    const eventId = await sendText(alice, roomId, 'one more');
    const after = await sync(bob, { since: before.next_batch, timeout: 0 });
    const room = after.rooms?.join?.[roomId];
    expect(room?.timeline.events.map((e) => e.event_id)).toContain(eventId);
    expect(room?.unread_notifications).toEqual({ notification_count: 4, highlight_count: 1 });
  });

  test('GET /notifications lists them newest first, with actions, read flags and paging', async () => {
    const all = await notifications(bob);
    expect(all.notifications).toHaveLength(4);
    expect(all.next_token).toBeUndefined();
    const [newest] = all.notifications;
    expect(newest?.room_id).toBe(roomId);
    expect(newest?.read).toBe(false);
    expect(newest?.event.content.body).toBe('one more');
    expect(newest?.event.room_id).toBeUndefined();
    expect(typeof newest?.ts).toBe('number');
    // Two members: .m.rule.room_one_to_one.
    expect(newest?.actions).toEqual(ONE_TO_ONE_ACTIONS);
    const highlighted = all.notifications.find((n) => n.event.event_id === mention);
    expect(highlighted?.actions).toEqual(['notify', { set_tweak: 'sound', value: 'default' }, { set_tweak: 'highlight' }]);

    const only = await notifications(bob, '?only=highlight');
    expect(only.notifications.map((n) => n.event.event_id)).toEqual([mention]);

    const first = await notifications(bob, '?limit=3');
    expect(first.notifications.map((n) => n.event.event_id)).toEqual(all.notifications.slice(0, 3).map((n) => n.event.event_id));
    expect(first.next_token).toBeDefined();
    const rest = await notifications(bob, `?limit=3&from=${first.next_token}`);
    expect(rest.notifications.map((n) => n.event.event_id)).toEqual(all.notifications.slice(3).map((n) => n.event.event_id));
    expect(rest.next_token).toBeUndefined();

    expect((await notifications(alice)).notifications.filter((n) => n.room_id === roomId)).toEqual([]);
  });

  test('bad paging parameters are 400 M_INVALID_PARAM', async () => {
    for (const query of ['?from=abc', '?limit=-1', '?limit=ten', '?from=1&from=2']) {
      const res = await bob.call('GET', `${CS}/notifications${query}`);
      expect(res.status, query).toBe(400);
      expect((res.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
    }
  });

  test('a read receipt resets the count up to its event; later events count again', async () => {
    await receipt(bob, roomId, mention);
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 2, highlight_count: 0 });
    const listed = await notifications(bob);
    expect(listed.notifications.map((n) => n.read)).toEqual([false, false, true, true]);

    const last = (await notifications(bob)).notifications[0]?.event.event_id as string;
    const before = await sync(bob);
    expect(before.rooms?.join?.[roomId]?.unread_notifications).toEqual({ notification_count: 2, highlight_count: 0 });
    await receipt(bob, roomId, last, 'm.read.private');
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 0, highlight_count: 0 });
    // The receipt brings the room into the next incremental sync with its new counts.
    const after = await sync(bob, { since: before.next_batch, timeout: 0 });
    expect(after.rooms?.join?.[roomId]?.unread_notifications).toEqual({ notification_count: 0, highlight_count: 0 });
    // The m.read receipt stays behind at the mention: the further of the two counts.
    expect((await notifications(bob)).notifications.every((n) => n.read)).toBe(true);

    await sendText(alice, roomId, 'after the receipt');
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 1, highlight_count: 0 });
  });

  test('sending an event marks the room read up to it', async () => {
    await sendText(alice, roomId, 'are you there?');
    expect((await counts(bob, roomId)).total.notification_count).toBe(2);
    await sendText(bob, roomId, 'yes');
    expect((await counts(bob, roomId)).total.notification_count).toBe(0);
    // Bob's own message notified alice.
    expect((await counts(alice, roomId)).total.notification_count).toBe(1);
  });

  test('markRead moves the read mark for code without a receipt', async () => {
    const eventId = await sendText(alice, roomId, 'mark me');
    expect((await counts(bob, roomId)).total.notification_count).toBe(1);
    const stored = await getEvent(tenant.db, eventId);
    await markRead(tenant, bob.userId, roomId, stored?.streamOrdering as number, null);
    expect((await counts(bob, roomId)).total.notification_count).toBe(0);
  });
});

describe('threads', () => {
  test('events in a thread count for the thread; threaded receipts clear their thread only', async () => {
    const roomId = await roomWith(alice, [bob, carol]);
    const root = await sendText(alice, roomId, 'root');
    const inThread = (body: string) => send(alice, roomId, 'm.room.message', { msgtype: 'm.text', body, 'm.relates_to': { rel_type: 'm.thread', event_id: root } });
    await inThread('t1');
    const t2 = await inThread('t2');
    // An event related (not by m.thread) to a thread event belongs to the thread (one hop).
    const note = await send(alice, roomId, 'm.room.message', { msgtype: 'm.text', body: 'note', 'm.relates_to': { rel_type: 'org.example.note', event_id: t2 } });
    await sendText(alice, roomId, 'main again');

    const c = await counts(bob, roomId);
    expect(c.main).toEqual({ notification_count: 2, highlight_count: 0 });
    expect([...c.threads]).toEqual([[root, { notification_count: 3, highlight_count: 0 }]]);
    expect(c.total).toEqual({ notification_count: 5, highlight_count: 0 });

    const filter = JSON.stringify({ room: { timeline: { unread_thread_notifications: true } } });
    const threaded = await sync(bob, { filter });
    const room = threaded.rooms?.join?.[roomId] as unknown as { unread_notifications: Counts; unread_thread_notifications?: Record<string, Counts> };
    expect(room.unread_notifications).toEqual({ notification_count: 2, highlight_count: 0 });
    expect(room.unread_thread_notifications).toEqual({ [root]: { notification_count: 3, highlight_count: 0 } });
    const plain = await sync(bob);
    expect(plain.rooms?.join?.[roomId]?.unread_notifications).toEqual({ notification_count: 5, highlight_count: 0 });
    expect((plain.rooms?.join?.[roomId] as unknown as Record<string, unknown>)['unread_thread_notifications']).toBeUndefined();

    await receipt(bob, roomId, note, 'm.read', { thread_id: root });
    const afterThreaded = await counts(bob, roomId);
    expect(afterThreaded.main.notification_count).toBe(2);
    expect(afterThreaded.threads.size).toBe(0);

    // Carol reads with an unthreaded receipt on the root: it covers every thread up to it.
    await receipt(carol, roomId, root);
    const carols = await counts(carol, roomId);
    expect(carols.main.notification_count).toBe(1);
    expect(carols.threads.get(root)?.notification_count).toBe(3);
  });
});

describe('rules that decide', () => {
  test('DM rules: two members get the one-to-one actions, encrypted events too', async () => {
    const dm = await roomWith(alice, [bob], { preset: 'trusted_private_chat', invite: [bob.userId], is_direct: true });
    await send(alice, dm, 'm.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgAEnAC', sender_key: 'k', session_id: 's', device_id: 'D' });
    const [encrypted] = (await notifications(bob)).notifications;
    expect(encrypted?.room_id).toBe(dm);
    expect(encrypted?.event.type).toBe('m.room.encrypted');
    expect(encrypted?.actions).toEqual(ONE_TO_ONE_ACTIONS);
  });

  test('bigger rooms: plain notify for messages and encrypted events', async () => {
    const group = await roomWith(alice, [bob, carol]);
    await sendText(alice, group, 'to everyone');
    await send(alice, group, 'm.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgAEnAC', sender_key: 'k', session_id: 's', device_id: 'D' });
    const [enc2, text] = (await notifications(carol)).notifications;
    expect(text?.event.content.body).toBe('to everyone');
    expect(text?.actions).toEqual(MESSAGE_ACTIONS);
    expect(enc2?.event.type).toBe('m.room.encrypted');
    expect(enc2?.actions).toEqual(MESSAGE_ACTIONS);
  });

  test('notices, edits and reactions do not notify', async () => {
    const roomId = await roomWith(alice, [bob, carol]);
    const original = await sendText(alice, roomId, 'original');
    await send(alice, roomId, 'm.room.message', { msgtype: 'm.notice', body: 'a bot speaks' });
    await send(alice, roomId, 'm.room.message', { msgtype: 'm.text', body: '* edited', 'm.new_content': { msgtype: 'm.text', body: 'edited' }, 'm.relates_to': { rel_type: 'm.replace', event_id: original } });
    await send(alice, roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: original, key: '👍' } });
    expect((await counts(bob, roomId)).total.notification_count).toBe(1);
  });

  test('@room highlights only when the sender has the notification power level', async () => {
    const roomId = await roomWith(alice, [bob, carol]);
    await send(carol, roomId, 'm.room.message', { msgtype: 'm.text', body: 'hey all', 'm.mentions': { room: true } });
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 1, highlight_count: 0 });
    await send(alice, roomId, 'm.room.message', { msgtype: 'm.text', body: 'hey all', 'm.mentions': { room: true } });
    expect((await counts(bob, roomId)).total).toEqual({ notification_count: 2, highlight_count: 1 });
  });

  test("the user's own rules apply to the next event: a muted room, a content keyword", async () => {
    const dave = await register(shard, SERVER, 'dave');
    const roomId = await roomWith(alice, [dave, carol]);
    expect((await dave.call('PUT', `${CS}/pushrules/global/room/${enc(roomId)}`, { actions: [] })).status).toBe(200);
    await sendText(alice, roomId, 'muted');
    expect((await counts(dave, roomId)).total.notification_count).toBe(0);
    expect((await dave.call('DELETE', `${CS}/pushrules/global/room/${enc(roomId)}`)).status).toBe(200);
    await sendText(alice, roomId, 'heard');
    expect((await counts(dave, roomId)).total.notification_count).toBe(1);

    expect((await dave.call('PUT', `${CS}/pushrules/global/content/coffee`, { pattern: 'coffee', actions: ['notify', { set_tweak: 'highlight' }] })).status).toBe(200);
    await sendText(alice, roomId, 'Coffee time!');
    await sendText(alice, roomId, 'coffeemaker broken');
    expect((await counts(dave, roomId)).total).toEqual({ notification_count: 3, highlight_count: 1 });

    // The master rule silences everything.
    expect((await dave.call('PUT', `${CS}/pushrules/global/override/.m.rule.master/enabled`, { enabled: true })).status).toBe(200);
    await sendText(alice, roomId, 'coffee?');
    expect((await counts(dave, roomId)).total.notification_count).toBe(3);
  });

  test('users who ignore the sender are not notified', async () => {
    const erin = await register(shard, SERVER, 'erin');
    const roomId = await roomWith(alice, [erin, carol]);
    const res = await erin.call('PUT', `${CS}/user/${enc(erin.userId)}/account_data/m.ignored_user_list`, { ignored_users: { [carol.userId]: {} } });
    expect(res.status, res.text).toBe(200);
    await sendText(carol, roomId, 'ignored');
    await sendText(alice, roomId, 'not ignored');
    expect((await counts(erin, roomId)).total.notification_count).toBe(1);
    // The list is remembered for the send path; a change on this shard applies to the next event.
    const cleared = await erin.call('PUT', `${CS}/user/${enc(erin.userId)}/account_data/m.ignored_user_list`, { ignored_users: {} });
    expect(cleared.status, cleared.text).toBe(200);
    await sendText(carol, roomId, 'heard again');
    expect((await counts(erin, roomId)).total.notification_count).toBe(2);
    await erin.call('PUT', `${CS}/user/${enc(erin.userId)}/account_data/m.ignored_user_list`, { ignored_users: { [carol.userId]: {} } });
    await sendText(carol, roomId, 'ignored again');
    expect((await counts(erin, roomId)).total.notification_count).toBe(2);
  });

  test('an invite notifies the invitee', async () => {
    const frank = await register(shard, SERVER, 'frank');
    const roomId = await createRoom(alice, { preset: 'private_chat' });
    await invite(alice, roomId, frank.userId);
    const [invited] = (await notifications(frank)).notifications;
    expect(invited?.room_id).toBe(roomId);
    expect(invited?.event).toMatchObject({ type: 'm.room.member', state_key: frank.userId, content: { membership: 'invite' } });
    expect(invited?.actions).toEqual(ONE_TO_ONE_ACTIONS);
  });
});

describe('tenant isolation', () => {
  test("another tenant's users see nothing of this tenant's notifications", async () => {
    const otherBob = await register(shard, OTHER, 'bob');
    expect((await notifications(otherBob)).notifications).toEqual([]);
    const roomId = await roomWith(otherBob, [await register(shard, OTHER, 'alice')]);
    const local = await unreadCounts(otherTenant, otherBob.userId, [roomId]);
    expect(local.get(roomId)?.total).toEqual({ notification_count: 0, highlight_count: 0 });
    // The same user ID text on this tenant finds nothing there either.
    const crossed = await unreadCounts(tenant, otherBob.userId, [roomId]);
    expect(crossed.get(roomId)?.total).toEqual({ notification_count: 0, highlight_count: 0 });
  });
});
