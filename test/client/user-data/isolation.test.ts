// Tenant isolation of user data: two tenants on one shard, with users of the same localpart.
// Nothing of one tenant's profiles, account data, tags, presence, directory, typing or
// receipts is readable or writable through the other.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { typingOf } from '../../../src/services/typing/typing-of.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { currentContext } from './helpers.ts';
import { call, CS, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, sendText, startRoomsShard, type Client } from '../rooms/helpers.ts';

const A = 'tenant-a.example';
const B = 'tenant-b.example';
let shard: TestShard;
let aliceA: Client;
let bobA: Client;
let aliceB: Client;
let roomA: string;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, A);
  await createOpenTenant(shard, B);
  [aliceA, bobA, aliceB] = (await Promise.all([register(shard, A, 'alice'), register(shard, A, 'bob'), register(shard, B, 'alice')])) as [Client, Client, Client];
  await aliceA.call('PUT', `${CS}/profile/${enc(aliceA.userId)}/displayname`, { displayname: 'Alice of A' });
  await aliceA.call('PUT', `${CS}/user/${enc(aliceA.userId)}/account_data/org.example.secret`, { secret: 'A' });
  await aliceA.call('PUT', `${CS}/presence/${enc(aliceA.userId)}/status`, { presence: 'online', status_msg: 'A only' });
  roomA = await createRoom(aliceA, { preset: 'public_chat' });
  await joinRoom(bobA, roomA);
  await aliceA.call('PUT', `${CS}/user/${enc(aliceA.userId)}/rooms/${enc(roomA)}/tags/u.secret`, {});
});
afterAll(async () => shard?.close());

describe('through the other tenant', () => {
  test('profiles of another tenant’s users are not found', async () => {
    for (const field of ['', '/displayname']) {
      const res = await call(shard, B, 'GET', `${CS}/profile/${enc(aliceA.userId)}${field}`, { token: aliceB.token });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    }
    // B's own alice has her own profile.
    expect((await call(shard, B, 'GET', `${CS}/profile/${enc(aliceB.userId)}`)).body).toEqual({ displayname: 'alice' });
  });

  test('account data and tags of another tenant’s user are forbidden, and B’s own are separate', async () => {
    for (const path of [`${CS}/user/${enc(aliceA.userId)}/account_data/org.example.secret`, `${CS}/user/${enc(aliceA.userId)}/rooms/${enc(roomA)}/tags`]) {
      const res = await aliceB.call('GET', path);
      expect(res.status, path).toBe(403);
    }
    const own = await aliceB.call('GET', `${CS}/user/${enc(aliceB.userId)}/account_data/org.example.secret`);
    expect(own.status).toBe(404);
  });

  test('an access token of tenant A is unknown on tenant B', async () => {
    const res = await call(shard, B, 'GET', `${CS}/user/${enc(aliceA.userId)}/account_data/org.example.secret`, { token: aliceA.token });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });

  test('presence of another tenant’s user is not found', async () => {
    const res = await aliceB.call('GET', `${CS}/presence/${enc(aliceA.userId)}/status`);
    expect(res.status).toBe(404);
  });

  test('the directory of B lists none of A’s users', async () => {
    await createRoom(aliceB, { preset: 'public_chat' });
    const res = await aliceB.call('POST', `${CS}/user_directory/search`, { search_term: 'alice' });
    expect((res.body as { results: Array<{ user_id: string }> }).results.map((r) => r.user_id)).toEqual([aliceB.userId]);
  });

  test('typing, receipts and read markers cannot reach A’s rooms', async () => {
    const eventId = await sendText(aliceA, roomA, 'hello');
    const typing = await aliceB.call('PUT', roomPath(roomA, `/typing/${enc(aliceB.userId)}`), { typing: true, timeout: 1000 });
    expect(typing.status).toBe(403);
    const receipt = await aliceB.call('POST', roomPath(roomA, `/receipt/m.read/${enc(eventId)}`), {});
    expect(receipt.status).toBe(403);
    const markers = await aliceB.call('POST', roomPath(roomA, '/read_markers'), { 'm.fully_read': eventId });
    expect(markers.status).toBe(403);
    // A's typing lives in A's context only.
    await aliceA.call('PUT', roomPath(roomA, `/typing/${enc(aliceA.userId)}`), { typing: true, timeout: 10_000 });
    expect(typingOf(await currentContext(shard, B)).typing(roomA, Date.now())).toEqual([]);
    expect(typingOf(await currentContext(shard, A)).typing(roomA, Date.now())).toEqual([aliceA.userId]);
  });
});
