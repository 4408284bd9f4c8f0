// POST /rooms/{roomId}/upgrade: replacement room, transferred state, moved aliases,
// tombstone, restricted old room; every response checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, call, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, sendText, startRoomsShard, type Client } from './helpers.ts';

const SERVER = 'upgrade.example';
let shard: TestShard;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, SERVER, name)))) as [Client, Client];
});
afterAll(async () => shard?.close());

async function stateOf(client: Client, roomId: string, type: string): Promise<Record<string, unknown> | undefined> {
  const res = await client.call('GET', roomPath(roomId, `/state/${type}/`));
  return res.status === 200 ? (res.body as Record<string, unknown>) : undefined;
}

describe.each([
  ['10', '11'],
  ['10', '12'],
])('upgrading a v%s room to v%s', (from, to) => {
  test('creates the replacement, transfers state and aliases, tombstones and restricts the old room', async () => {
    const alias = `up${from}to${to}`;
    const oldRoom = await createRoom(alice, { room_version: from, preset: 'public_chat', name: 'Team', topic: 'Plan', room_alias_name: alias, visibility: 'public' });
    await joinRoom(bob, oldRoom);
    await sendText(alice, oldRoom, 'before');

    const res = await alice.call('POST', roomPath(oldRoom, '/upgrade'), { new_version: to });
    expect(res.status, res.text).toBe(200);
    const newRoom = (res.body as { replacement_room: string }).replacement_room;

    const create = await stateOf(alice, newRoom, 'm.room.create');
    expect(create).toMatchObject({ room_version: to, predecessor: { room_id: oldRoom } });
    expect(await stateOf(alice, newRoom, 'm.room.name')).toEqual({ name: 'Team' });
    expect(await stateOf(alice, newRoom, 'm.room.topic')).toMatchObject({ topic: 'Plan' });
    expect(await stateOf(alice, newRoom, 'm.room.join_rules')).toEqual({ join_rule: 'public' });
    expect(await stateOf(alice, newRoom, 'm.room.canonical_alias')).toEqual({ alias: `#${alias}:${SERVER}` });
    const power = (await stateOf(alice, newRoom, 'm.room.power_levels')) as { users: Record<string, number> };
    if (to === '12') expect(power.users[alice.userId]).toBeUndefined();
    else expect(power.users[alice.userId]).toBe(100);

    const resolved = await call(shard, SERVER, 'GET', `${CS}/directory/room/${enc(`#${alias}:${SERVER}`)}`);
    expect((resolved.body as { room_id: string }).room_id).toBe(newRoom);
    const directory = await call(shard, SERVER, 'GET', `${CS}/publicRooms`);
    const listed = (directory.body as { chunk: Array<{ room_id: string }> }).chunk.map((c) => c.room_id);
    expect(listed).toContain(newRoom);
    expect(listed).not.toContain(oldRoom);

    expect(await stateOf(bob, oldRoom, 'm.room.tombstone')).toEqual({ body: 'This room has been replaced', replacement_room: newRoom });
    // Bob could talk in the old room before; now he may not.
    const blocked = await bob.call('PUT', roomPath(oldRoom, '/send/m.room.message/after-upgrade'), { msgtype: 'm.text', body: 'hello?' });
    expect(blocked.status).toBe(403);
    // He can follow into the new room.
    await joinRoom(bob, newRoom);
  });
});

describe('refusals', () => {
  test('bad versions and bodies, too little power, not a member', async () => {
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const cases: Array<[Client, unknown, number, string]> = [
      [alice, { new_version: '99' }, 400, 'M_UNSUPPORTED_ROOM_VERSION'],
      [alice, {}, 400, 'M_MISSING_PARAM'],
      [alice, { new_version: 11 }, 400, 'M_BAD_JSON'],
      [alice, { new_version: '11', additional_creators: ['@x:upgrade.example'] }, 400, 'M_INVALID_PARAM'],
      [bob, { new_version: '11' }, 403, 'M_FORBIDDEN'],
    ];
    for (const [client, body, status, errcode] of cases) {
      const res = await client.call('POST', roomPath(roomId, '/upgrade'), body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toMatchObject({ errcode });
    }
    const stranger = await register(shard, SERVER, 'stranger');
    expect((await stranger.call('POST', roomPath(roomId, '/upgrade'), { new_version: '11' })).status).toBe(403);
  });
});
