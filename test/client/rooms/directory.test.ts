// Room aliases over HTTP: GET/PUT/DELETE /directory/room/{roomAlias}, GET /rooms/{roomId}/aliases.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, call, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, startRoomsShard, type Client } from './helpers.ts';

const SERVER = 'aliases.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let eve: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  [alice, bob, eve] = (await Promise.all(['alice', 'bob', 'eve'].map((name) => register(shard, SERVER, name)))) as [Client, Client, Client];
});
afterAll(async () => shard?.close());

const aliasPath = (alias: string): string => `${CS}/directory/room/${enc(alias)}`;

describe('room aliases', () => {
  test('create, resolve (without a token), list, delete', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const put = await alice.call('PUT', aliasPath('#team:aliases.example'), { room_id: roomId });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({});

    const resolved = await call(shard, SERVER, 'GET', aliasPath('#team:aliases.example'));
    expect(resolved.status).toBe(200);
    expect(resolved.body).toEqual({ room_id: roomId, servers: ['aliases.example'] });

    const list = await bob.call('GET', roomPath(roomId, '/aliases'));
    expect(list.body).toEqual({ aliases: ['#team:aliases.example'] });

    const taken = await bob.call('PUT', aliasPath('#team:aliases.example'), { room_id: roomId });
    expect(taken.status).toBe(409);

    // Bob neither created it nor may change the canonical alias.
    const notAllowed = await bob.call('DELETE', aliasPath('#team:aliases.example'));
    expect(notAllowed.status).toBe(403);
    const deleted = await alice.call('DELETE', aliasPath('#team:aliases.example'));
    expect(deleted.status).toBe(200);
    const gone = await call(shard, SERVER, 'GET', aliasPath('#team:aliases.example'));
    expect(gone.status).toBe(404);
    expect((gone.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');
    const deleteAgain = await alice.call('DELETE', aliasPath('#team:aliases.example'));
    expect(deleteAgain.status).toBe(404);
  });

  test('room moderators may delete aliases others created', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    expect((await bob.call('PUT', aliasPath('#bobs:aliases.example'), { room_id: roomId })).status).toBe(200);
    expect((await alice.call('DELETE', aliasPath('#bobs:aliases.example'))).status).toBe(200);
  });

  test('errors: invalid alias (400), foreign server (400 on PUT, 404 on GET), not joined (403), missing room_id (400)', async () => {
    const roomId = await createRoom(alice);
    const invalid = await call(shard, SERVER, 'GET', aliasPath('no-sigil'));
    expect(invalid.status).toBe(400);
    expect((invalid.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
    const foreignPut = await alice.call('PUT', aliasPath('#x:other.example'), { room_id: roomId });
    expect(foreignPut.status).toBe(400);
    const foreignGet = await call(shard, SERVER, 'GET', aliasPath('#x:other.example'));
    expect(foreignGet.status).toBe(404);
    const notJoined = await eve.call('PUT', aliasPath('#eves:aliases.example'), { room_id: roomId });
    expect(notJoined.status).toBe(403);
    const missing = await alice.call('PUT', aliasPath('#m:aliases.example'), {});
    expect(missing.status).toBe(400);
    expect((missing.body as { errcode: string }).errcode).toBe('M_MISSING_PARAM');
    const listStranger = await eve.call('GET', roomPath(roomId, '/aliases'));
    expect(listStranger.status).toBe(403);
    const noToken = await call(shard, SERVER, 'PUT', aliasPath('#t:aliases.example'), { body: { room_id: roomId } });
    expect(noToken.status).toBe(401);
  });
});
