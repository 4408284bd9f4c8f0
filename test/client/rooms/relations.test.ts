// GET /_matrix/client/v1/rooms/{roomId}/relations/...: children of an event by relation
// type and event type, paginated, visible ones only; every response checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, createRoom, enc, joinRoom, register, roomPath, sendText, startRoomsShard, txn, type Client } from './helpers.ts';

const SERVER = 'relations.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let eve: Client;
let roomId: string;
let root: string;
const reactions: string[] = [];
const replies: string[] = [];

const relationsPath = (parent: string, rest = ''): string => `/_matrix/client/v1/rooms/${enc(roomId)}/relations/${enc(parent)}${rest}`;

async function send(client: Client, type: string, content: Record<string, unknown>): Promise<string> {
  const res = await client.call('PUT', roomPath(roomId, `/send/${type}/${txn()}`), content);
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

interface Page {
  chunk: Array<{ event_id: string; type: string }>;
  next_batch?: string;
  prev_batch?: string;
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  [alice, bob, eve] = (await Promise.all(['alice', 'bob', 'eve'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client];
  roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
  root = await sendText(alice, roomId, 'Dienstplan?');
  for (const key of ['👍', '🎉']) reactions.push(await send(bob, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: root, key } }));
  for (const body of ['ja', 'nein', 'vielleicht']) {
    replies.push(await send(bob, 'm.room.message', { msgtype: 'm.text', body, 'm.relates_to': { rel_type: 'm.thread', event_id: root } }));
  }
  await sendText(alice, roomId, 'unrelated');
});
afterAll(async () => shard?.close());

describe('relations', () => {
  test('all children, newest first by default', async () => {
    const res = await alice.call('GET', relationsPath(root));
    expect(res.status).toBe(200);
    expect((res.body as Page).chunk.map((e) => e.event_id)).toEqual([...reactions, ...replies].reverse());
  });

  test('by relation type and by relation and event type', async () => {
    const threads = (await alice.call('GET', relationsPath(root, '/m.thread'))).body as Page;
    expect(threads.chunk.map((e) => e.event_id)).toEqual([...replies].reverse());
    const annotations = (await alice.call('GET', relationsPath(root, '/m.annotation/m.reaction'))).body as Page;
    expect(annotations.chunk.map((e) => e.event_id)).toEqual([...reactions].reverse());
    const none = (await alice.call('GET', relationsPath(root, '/m.annotation/m.room.message'))).body as Page;
    expect(none.chunk).toEqual([]);
  });

  test('pages in both directions', async () => {
    const first = (await alice.call('GET', relationsPath(root, '/m.thread?limit=2'))).body as Page;
    expect(first.chunk.map((e) => e.event_id)).toEqual([replies[2], replies[1]]);
    expect(first.next_batch).toBeDefined();
    const second = (await alice.call('GET', relationsPath(root, `/m.thread?limit=2&from=${enc(first.next_batch as string)}`))).body as Page;
    expect(second.chunk.map((e) => e.event_id)).toEqual([replies[0]]);
    expect(second.next_batch).toBeUndefined();
    const forwards = (await alice.call('GET', relationsPath(root, '/m.thread?dir=f&limit=2'))).body as Page;
    expect(forwards.chunk.map((e) => e.event_id)).toEqual([replies[0], replies[1]]);
  });

  test('errors: bad parameters, unknown parent, a room the user cannot read', async () => {
    for (const query of ['?dir=x', '?limit=-3', '?from=garbage']) {
      expect((await alice.call('GET', relationsPath(root, query))).status, query).toBe(400);
    }
    expect((await alice.call('GET', relationsPath('$unknown'))).status).toBe(404);
    const privateRoom = await createRoom(alice, {});
    const secret = await sendText(alice, privateRoom, 'secret');
    const res = await eve.call('GET', `/_matrix/client/v1/rooms/${enc(privateRoom)}/relations/${enc(secret)}`);
    expect(res.status).toBe(404);
  });
});

describe('bundled aggregations', () => {
  test('a thread root carries its summary; an edit is bundled into the original', async () => {
    const event = await alice.call('GET', roomPath(roomId, `/event/${enc(root)}`));
    const relations = (event.body as { unsigned: { 'm.relations'?: Record<string, { count?: number; current_user_participated?: boolean; latest_event?: { event_id: string } }> } }).unsigned['m.relations'];
    expect(relations?.['m.thread']).toMatchObject({ count: 3, current_user_participated: true, latest_event: { event_id: replies[2] } });
    const forBob = await bob.call('GET', roomPath(roomId, `/event/${enc(root)}`));
    expect((forBob.body as { unsigned: { 'm.relations': { 'm.thread': { current_user_participated: boolean } } } }).unsigned['m.relations']['m.thread'].current_user_participated).toBe(true);

    const original = await sendText(alice, roomId, 'Tippfeler');
    const edit = await send(alice, 'm.room.message', {
      msgtype: 'm.text',
      body: '* Tippfehler',
      'm.new_content': { msgtype: 'm.text', body: 'Tippfehler' },
      'm.relates_to': { rel_type: 'm.replace', event_id: original },
    });
    const edited = await alice.call('GET', roomPath(roomId, `/event/${enc(original)}`));
    expect((edited.body as { unsigned: { 'm.relations': { 'm.replace': { event_id: string } } } }).unsigned['m.relations']['m.replace'].event_id).toBe(edit);
    // An "edit" by someone else is not an edit.
    const bobsOriginal = await sendText(bob, roomId, 'mine');
    await send(alice, 'm.room.message', { msgtype: 'm.text', body: '* hijack', 'm.new_content': { body: 'hijack' }, 'm.relates_to': { rel_type: 'm.replace', event_id: bobsOriginal } });
    const notEdited = await alice.call('GET', roomPath(roomId, `/event/${enc(bobsOriginal)}`));
    expect((notEdited.body as { unsigned: Record<string, unknown> }).unsigned['m.relations']).toBeUndefined();
    // Bob's own edit stays bundled even when someone else's "edit" is newer.
    const bobsEdit = await send(bob, 'm.room.message', { msgtype: 'm.text', body: '* mine!', 'm.new_content': { msgtype: 'm.text', body: 'mine!' }, 'm.relates_to': { rel_type: 'm.replace', event_id: bobsOriginal } });
    await send(alice, 'm.room.message', { msgtype: 'm.text', body: '* hijack 2', 'm.new_content': { body: 'hijack 2' }, 'm.relates_to': { rel_type: 'm.replace', event_id: bobsOriginal } });
    const ownEdit = await alice.call('GET', roomPath(roomId, `/event/${enc(bobsOriginal)}`));
    expect((ownEdit.body as { unsigned: { 'm.relations': { 'm.replace': { event_id: string } } } }).unsigned['m.relations']['m.replace'].event_id).toBe(bobsEdit);
  });
});

describe('threads list', () => {
  test('roots by latest activity; participated; paging; errors', async () => {
    const second = await sendText(bob, roomId, 'Urlaub?');
    await send(bob, 'm.room.message', { msgtype: 'm.text', body: 'Juli', 'm.relates_to': { rel_type: 'm.thread', event_id: second } });
    const threadsPath = (query = ''): string => `/_matrix/client/v1/rooms/${enc(roomId)}/threads${query}`;
    const all = (await alice.call('GET', threadsPath())).body as Page;
    expect(all.chunk.map((e) => e.event_id)).toEqual([second, root]);
    const mine = (await alice.call('GET', threadsPath('?include=participated'))).body as Page;
    expect(mine.chunk.map((e) => e.event_id)).toEqual([root]);
    const first = (await alice.call('GET', threadsPath('?limit=1'))).body as Page;
    expect(first.chunk.map((e) => e.event_id)).toEqual([second]);
    const next = (await alice.call('GET', threadsPath(`?limit=1&from=${enc(first.next_batch as string)}`))).body as Page;
    expect(next.chunk.map((e) => e.event_id)).toEqual([root]);
    for (const query of ['?include=some', '?limit=0', '?from=nope']) {
      expect((await alice.call('GET', threadsPath(query))).status, query).toBe(400);
    }
    expect((await eve.call('GET', threadsPath())).status).toBe(403);
  });
});

