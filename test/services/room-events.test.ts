// The send path on a real database: createRoom's events, messages, auth refusals,
// transaction idempotency, state groups and current state, in several room versions.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventId as computeEventId } from '../../src/protocol/event-id.ts';
import { verifyContentHash } from '../../src/protocol/event-hashes.ts';
import { verifyEventSignature } from '../../src/protocol/event-signing.ts';
import { KNOWN_ROOM_VERSIONS } from '../../src/protocol/room-versions.ts';
import type { TenantContext } from '../../src/tenancy/context.ts';
import { createRoom } from '../../src/services/rooms/create-room.ts';
import { createLocalEvent } from '../../src/services/rooms/create-local-event.ts';
import { getCurrentState, roomMembers } from '../../src/storage/rooms/current-state.ts';
import { getEvent, getForwardExtremities, roomEventsBetween } from '../../src/storage/rooms/events.ts';
import { getEventStateGroups, loadStateGroup, stateKeyOf } from '../../src/storage/rooms/state-groups.ts';
import { getRoom } from '../../src/storage/rooms/rooms.ts';
import { MatrixError } from '../../src/errors/matrix-error.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;
let tenant: TenantContext;
const ALICE = '@alice:rooms.example';
const BOB = '@bob:rooms.example';

beforeAll(async () => {
  shard = await startTestShard();
  await shard.createTenant({ server_name: 'rooms.example' });
  tenant = (await shard.tenants.acquire('rooms.example')).context;
});
afterAll(async () => shard?.close());

function publicKey(): Uint8Array {
  return tenant.signingKeys.current.publicKey;
}

describe.each(KNOWN_ROOM_VERSIONS)('room version %s', (version) => {
  test('createRoom persists a valid, signed chain of events with the expected state', async () => {
    const { room_id: roomId } = await createRoom(tenant, ALICE, { room_version: version, name: 'Praxis', topic: 'Team', invite: [BOB], preset: 'private_chat' });
    const room = await getRoom(tenant.db, roomId);
    expect(room?.roomVersion).toBe(version);
    const events = await roomEventsBetween(tenant.db, roomId, { limit: 100, backwards: false });
    expect(events.map((e) => e.pdu.type)).toEqual([
      'm.room.create',
      'm.room.member',
      'm.room.power_levels',
      'm.room.join_rules',
      'm.room.history_visibility',
      'm.room.guest_access',
      'm.room.name',
      'm.room.topic',
      'm.room.member',
    ]);
    for (const event of events) {
      expect(computeEventId(event.pdu, version)).toBe(event.eventId);
      expect(verifyContentHash(event.pdu, version)).toBe(true);
      expect(verifyEventSignature(event.pdu, 'rooms.example', tenant.signingKeys.current.keyId, publicKey(), version)).toBe(true);
    }
    // Depth grows by one along a single chain; each event's prev is the one before.
    events.slice(1).forEach((event, i) => {
      expect(event.pdu.depth).toBe(i + 2);
      const prev = event.pdu.prev_events.map((p) => (typeof p === 'string' ? p : p[0]));
      expect(prev).toEqual([events[i]?.eventId]);
    });
    expect(await getForwardExtremities(tenant.db, roomId)).toEqual([events.at(-1)?.eventId]);
    const state = await getCurrentState(tenant.db, roomId);
    expect(state).toHaveLength(9);
    expect(await roomMembers(tenant.db, roomId, ['join'])).toEqual([expect.objectContaining({ userId: ALICE })]);
    expect(await roomMembers(tenant.db, roomId, ['invite'])).toEqual([expect.objectContaining({ userId: BOB })]);
    // The state group after the last event equals current state.
    const groups = await getEventStateGroups(tenant.db, events.at(-1)?.eventId as string);
    const groupState = await loadStateGroup(tenant.db, groups?.after as string);
    expect(groupState.size).toBe(9);
    for (const entry of state) expect(groupState.get(stateKeyOf(entry.type, entry.stateKey))).toBe(entry.eventId);
  });
});

describe('sending', () => {
  test('members send; strangers and the merely invited are refused', async () => {
    const { room_id: roomId } = await createRoom(tenant, ALICE, { invite: [BOB] });
    const sent = await createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: ALICE, content: { msgtype: 'm.text', body: 'hi' } });
    expect((await getEvent(tenant.db, sent.eventId))?.pdu.content).toEqual({ msgtype: 'm.text', body: 'hi' });
    await expect(createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: BOB, content: { body: 'x' } })).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
    await expect(createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: '@eve:rooms.example', content: { body: 'x' } })).rejects.toBeInstanceOf(MatrixError);
    // Bob joins, then may send; he may not change power levels.
    await createLocalEvent(tenant, roomId, { type: 'm.room.member', stateKey: BOB, sender: BOB, content: { membership: 'join' } });
    await createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: BOB, content: { body: 'hello' } });
    await expect(
      createLocalEvent(tenant, roomId, { type: 'm.room.power_levels', stateKey: '', sender: BOB, content: { users: { [BOB]: 100 } } }),
    ).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('an unknown room is M_NOT_FOUND', async () => {
    await expect(createLocalEvent(tenant, '!nope:rooms.example', { type: 'm.room.message', sender: ALICE, content: {} })).rejects.toMatchObject({ errcode: 'M_NOT_FOUND' });
  });

  test('a repeated transaction ID returns the first event', async () => {
    const { room_id: roomId } = await createRoom(tenant, ALICE, {});
    const txn = { userId: ALICE, deviceId: 'DEV', txnId: 't1' };
    const first = await createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'once' } }, txn);
    const again = await createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'once' } }, txn);
    expect(again.eventId).toBe(first.eventId);
    expect(again.duplicate).toBe(true);
    const other = await createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: ALICE, content: { body: 'once' } }, { ...txn, deviceId: 'OTHER' });
    expect(other.eventId).not.toBe(first.eventId);
  });

  test('concurrent sends into one room form a single chain in stream order', async () => {
    const { room_id: roomId } = await createRoom(tenant, ALICE, {});
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => createLocalEvent(tenant, roomId, { type: 'm.room.message', sender: ALICE, content: { body: `m${i}` } })),
    );
    const events = await roomEventsBetween(tenant.db, roomId, { limit: 100, backwards: false });
    const depths = events.map((e) => e.pdu.depth);
    expect(depths).toEqual([...depths].sort((a, b) => a - b));
    expect(new Set(depths).size).toBe(depths.length);
    expect(await getForwardExtremities(tenant.db, roomId)).toHaveLength(1);
  });

  test('concurrent sends into many rooms get distinct, gap-free stream positions', async () => {
    const rooms = await Promise.all(Array.from({ length: 5 }, () => createRoom(tenant, ALICE, {})));
    const results = await Promise.all(
      rooms.flatMap(({ room_id }) =>
        Array.from({ length: 5 }, (_, i) => createLocalEvent(tenant, room_id, { type: 'm.room.message', sender: ALICE, content: { body: `${i}` } })),
      ),
    );
    const positions = results.map((r) => r.streamOrdering).sort((a, b) => a - b);
    expect(new Set(positions).size).toBe(positions.length);
  });

  test('createRoom validates its request', async () => {
    await expect(createRoom(tenant, ALICE, { room_version: '999' })).rejects.toMatchObject({ errcode: 'M_UNSUPPORTED_ROOM_VERSION' });
    await expect(createRoom(tenant, ALICE, { invite: ['not-a-user'] })).rejects.toMatchObject({ errcode: 'M_INVALID_PARAM' });
    await expect(createRoom(tenant, ALICE, { preset: 'party' })).rejects.toMatchObject({ errcode: 'M_BAD_JSON' });
    await expect(createRoom(tenant, ALICE, { initial_state: [{ type: 5 }] })).rejects.toMatchObject({ errcode: 'M_BAD_JSON' });
    await expect(createRoom(tenant, ALICE, [])).rejects.toMatchObject({ errcode: 'M_NOT_JSON' });
  });

  test('an alias is created once; a second room asking for it is refused', async () => {
    const first = await createRoom(tenant, ALICE, { room_alias_name: 'team' });
    expect(first.room_alias).toBe('#team:rooms.example');
    const state = await getCurrentState(tenant.db, first.room_id);
    expect(state.some((s) => s.type === 'm.room.canonical_alias')).toBe(true);
    await expect(createRoom(tenant, ALICE, { room_alias_name: 'team' })).rejects.toMatchObject({ errcode: 'M_ROOM_IN_USE' });
  });
});
