// Account data and room tags over HTTP: global and per-room data, server-managed types,
// ownership, validation, m.ignored_user_list and ignoredUsers(), tags as m.tag.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ignoredUsers } from '../../../src/services/account-data/ignored-users.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { currentContext } from './helpers.ts';
import { call, CS, createOpenTenant, createRoom, enc, register, startRoomsShard, type Client } from '../rooms/helpers.ts';

const HS = 'account-data.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
const ROOM = '!someroom:account-data.example';

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, HS, name)))) as [Client, Client];
});
afterAll(async () => shard?.close());

const ctx = (): Promise<TenantContext> => currentContext(shard, HS);

const globalPath = (userId: string, type: string): string => `${CS}/user/${enc(userId)}/account_data/${enc(type)}`;
const roomPath = (userId: string, roomId: string, type: string): string => `${CS}/user/${enc(userId)}/rooms/${enc(roomId)}/account_data/${enc(type)}`;
const tagsPath = (userId: string, roomId: string, tag?: string): string =>
  `${CS}/user/${enc(userId)}/rooms/${enc(roomId)}/tags${tag === undefined ? '' : `/${enc(tag)}`}`;

describe('global account data', () => {
  test('PUT then GET returns the content; PUT replaces it', async () => {
    const path = globalPath(alice.userId, 'org.example.settings');
    expect((await alice.call('PUT', path, { theme: 'dark', nested: { a: [1, 2] } })).body).toEqual({});
    expect((await alice.call('GET', path)).body).toEqual({ theme: 'dark', nested: { a: [1, 2] } });
    await alice.call('PUT', path, { theme: 'light' });
    expect((await alice.call('GET', path)).body).toEqual({ theme: 'light' });
  });

  test('a type never set is 404 M_NOT_FOUND; global and room data do not fall back to each other', async () => {
    const res = await alice.call('GET', globalPath(alice.userId, 'org.example.never'));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    await alice.call('PUT', globalPath(alice.userId, 'org.example.scoped'), { where: 'global' });
    expect((await alice.call('GET', roomPath(alice.userId, ROOM, 'org.example.scoped'))).status).toBe(404);
  });

  test('another user’s account data is 403 M_FORBIDDEN, both ways', async () => {
    await alice.call('PUT', globalPath(alice.userId, 'org.example.private'), { secret: 1 });
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { secret: 2 }],
    ] as const) {
      const res = await bob.call(method, globalPath(alice.userId, 'org.example.private'), body);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    }
    expect((await alice.call('GET', globalPath(alice.userId, 'org.example.private'))).body).toEqual({ secret: 1 });
  });

  test('m.fully_read and m.push_rules cannot be set (405 M_BAD_JSON), globally or per room', async () => {
    for (const type of ['m.fully_read', 'm.push_rules']) {
      for (const path of [globalPath(alice.userId, type), roomPath(alice.userId, ROOM, type)]) {
        const res = await alice.call('PUT', path, { event_id: '$x' });
        expect(res.status, path).toBe(405);
        expect(res.body).toMatchObject({ errcode: 'M_BAD_JSON' });
      }
    }
  });

  test('bodies must be JSON objects that can be stored', async () => {
    const path = globalPath(alice.userId, 'org.example.bad');
    for (const [body, errcode] of [
      [[1, 2], 'M_BAD_JSON'],
      ['"a string"', 'M_BAD_JSON'],
      [{ key: 'nul\u0000' }, 'M_BAD_JSON'],
      [{ ['k\u0000']: 1 }, 'M_BAD_JSON'],
      [JSON.parse(`${'{"a":'.repeat(150)}1${'}'.repeat(150)}`) as unknown, 'M_BAD_JSON'],
    ] as const) {
      const res = await call(shard, HS, 'PUT', path, { token: alice.token, ...(typeof body === 'string' ? { rawBody: body } : { body }) });
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
    const notJson = await call(shard, HS, 'PUT', path, { token: alice.token, rawBody: '{"a":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toMatchObject({ errcode: 'M_NOT_JSON' });
    const lone = await call(shard, HS, 'PUT', path, { token: alice.token, rawBody: '{"a":"\\ud800"}' });
    expect(lone.status).toBe(400);
    expect(lone.body).toMatchObject({ errcode: 'M_BAD_JSON' });
    const longType = await alice.call('PUT', globalPath(alice.userId, `org.example.${'x'.repeat(250)}`), {});
    expect(longType.status).toBe(400);
    expect(longType.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    const nulType = await alice.call('GET', globalPath(alice.userId, 'a\u0000b'));
    expect(nulType.status).toBe(400);
    expect(nulType.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  test('needs an access token', async () => {
    const res = await call(shard, HS, 'GET', globalPath(alice.userId, 'org.example.settings'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });
});

describe('room account data', () => {
  test('PUT then GET per room; rooms are separate', async () => {
    const other = '!other:account-data.example';
    await alice.call('PUT', roomPath(alice.userId, ROOM, 'org.example.room'), { colour: 'red' });
    await alice.call('PUT', roomPath(alice.userId, other, 'org.example.room'), { colour: 'blue' });
    expect((await alice.call('GET', roomPath(alice.userId, ROOM, 'org.example.room'))).body).toEqual({ colour: 'red' });
    expect((await alice.call('GET', roomPath(alice.userId, other, 'org.example.room'))).body).toEqual({ colour: 'blue' });
    const missing = await alice.call('GET', roomPath(alice.userId, ROOM, 'org.example.nothing'));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
  });

  test('an invalid room ID is 400 M_INVALID_PARAM', async () => {
    for (const method of ['GET', 'PUT'] as const) {
      const res = await alice.call(method, roomPath(alice.userId, '@notaroom:account-data.example', 'org.example.room'), method === 'PUT' ? {} : undefined);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    }
  });

  test('another user’s room account data is 403', async () => {
    const res = await bob.call('GET', roomPath(alice.userId, ROOM, 'org.example.room'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });
});

describe('tags', () => {
  test('add, list, replace and remove tags; they are the room’s m.tag account data', async () => {
    const roomId = await createRoom(alice);
    expect((await alice.call('GET', tagsPath(alice.userId, roomId))).body).toEqual({ tags: {} });
    expect((await alice.call('PUT', tagsPath(alice.userId, roomId, 'm.favourite'), { order: 0.25 })).body).toEqual({});
    expect((await alice.call('PUT', tagsPath(alice.userId, roomId, 'u.Work'), {})).status).toBe(200);
    expect((await alice.call('GET', tagsPath(alice.userId, roomId))).body).toEqual({ tags: { 'm.favourite': { order: 0.25 }, 'u.Work': {} } });
    await alice.call('PUT', tagsPath(alice.userId, roomId, 'm.favourite'), { order: 0.5 });
    expect((await alice.call('GET', roomPath(alice.userId, roomId, 'm.tag'))).body).toEqual({ tags: { 'm.favourite': { order: 0.5 }, 'u.Work': {} } });
    expect((await alice.call('DELETE', tagsPath(alice.userId, roomId, 'm.favourite'))).body).toEqual({});
    // Removing a tag that is not there is fine.
    expect((await alice.call('DELETE', tagsPath(alice.userId, roomId, 'm.lowpriority'))).status).toBe(200);
    expect((await alice.call('GET', tagsPath(alice.userId, roomId))).body).toEqual({ tags: { 'u.Work': {} } });
  });

  test('concurrent tag changes are all kept', async () => {
    const roomId = await createRoom(alice);
    await Promise.all(Array.from({ length: 10 }, (_, i) => alice.call('PUT', tagsPath(alice.userId, roomId, `u.t${i}`), { order: i / 10 })));
    const tags = (await alice.call('GET', tagsPath(alice.userId, roomId))).body as { tags: Record<string, unknown> };
    expect(Object.keys(tags.tags).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `u.t${i}`).sort());
  });

  test('invalid tags and bodies are refused', async () => {
    const roomId = await createRoom(alice);
    const long = await alice.call('PUT', tagsPath(alice.userId, roomId, `u.${'x'.repeat(254)}`), {});
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    const badOrder = await alice.call('PUT', tagsPath(alice.userId, roomId, 'u.x'), { order: 'first' });
    expect(badOrder.status).toBe(400);
    expect(badOrder.body).toMatchObject({ errcode: 'M_BAD_JSON' });
    const notObject = await alice.call('PUT', tagsPath(alice.userId, roomId, 'u.x'), [0.5]);
    expect(notObject.status).toBe(400);
    const badRoom = await alice.call('GET', tagsPath(alice.userId, 'nonsense'));
    expect(badRoom.status).toBe(400);
    expect(badRoom.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  test('another user’s tags are 403', async () => {
    const roomId = await createRoom(alice);
    for (const [method, path, body] of [
      ['GET', tagsPath(alice.userId, roomId), undefined],
      ['PUT', tagsPath(alice.userId, roomId, 'u.x'), {}],
      ['DELETE', tagsPath(alice.userId, roomId, 'u.x'), undefined],
    ] as const) {
      const res = await bob.call(method, path, body);
      expect(res.status, method).toBe(403);
      expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    }
  });
});

describe('ignored users', () => {
  const path = (): string => globalPath(alice.userId, 'm.ignored_user_list');

  test('a valid list is stored and read through ignoredUsers()', async () => {
    expect(await ignoredUsers(await ctx(), alice.userId)).toEqual(new Set());
    const list = { ignored_users: { [bob.userId]: {}, '@remote:elsewhere.example': {} } };
    expect((await alice.call('PUT', path(), list)).status).toBe(200);
    expect((await alice.call('GET', path())).body).toEqual(list);
    expect(await ignoredUsers(await ctx(), alice.userId)).toEqual(new Set([bob.userId, '@remote:elsewhere.example']));
    await alice.call('PUT', path(), { ignored_users: {} });
    expect(await ignoredUsers(await ctx(), alice.userId)).toEqual(new Set());
  });

  test('malformed lists are refused', async () => {
    for (const [body, errcode] of [
      [{}, 'M_BAD_JSON'],
      [{ ignored_users: [bob.userId] }, 'M_BAD_JSON'],
      [{ ignored_users: { 'not-a-user': {} } }, 'M_INVALID_PARAM'],
      [{ ignored_users: { [bob.userId]: true } }, 'M_BAD_JSON'],
    ] as const) {
      const res = await alice.call('PUT', path(), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
  });

  test('the user never ignores themself', async () => {
    await alice.call('PUT', path(), { ignored_users: { [alice.userId]: {}, [bob.userId]: {} } });
    expect(await ignoredUsers(await ctx(), alice.userId)).toEqual(new Set([bob.userId]));
  });
});
