// POST /rooms/{roomId}/upgrade (client-server API, "Room upgrades"): a replacement room in
// the new version with the old room's transferable state, local aliases moved, a tombstone
// in the old room, and the old room's power levels tightened against new messages and invites.
import { MatrixError } from '../../errors/matrix-error.ts';
import { parsePowerLevels, powerLevelRequiredFor, userPowerLevel } from '../../protocol/auth/index.ts';
import { isValidUserId } from '../../protocol/ids.ts';
import { roomVersion as lookupRoomVersion } from '../../protocol/room-versions.ts';
import { moveAliases } from '../../storage/rooms/aliases.ts';
import { getCurrentState, membershipInRoom } from '../../storage/rooms/current-state.ts';
import { getEvents, getForwardExtremities } from '../../storage/rooms/events.ts';
import { getRoom, setRoomPublished } from '../../storage/rooms/rooms.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { createLocalEvent } from './create-local-event.ts';
import { createRoomWithCreateEvent } from './create-room-event.ts';
import { roomVersionOf } from './room-versions.ts';

/** State carried over, in the order it is sent (power levels first, so the rest is allowed). */
const TRANSFERRED = [
  'm.room.join_rules',
  'm.room.history_visibility',
  'm.room.guest_access',
  'm.room.name',
  'm.room.avatar',
  'm.room.topic',
  'm.room.encryption',
  'm.room.server_acl',
  'm.room.canonical_alias',
] as const;

export interface UpgradeRequest {
  newVersion: string;
  additionalCreators?: string[];
}

export function parseUpgradeRequest(body: unknown): UpgradeRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MatrixError('M_NOT_JSON', 'The request body must be a JSON object');
  const { new_version: newVersion, additional_creators: creators } = body as Record<string, unknown>;
  if (newVersion === undefined) throw new MatrixError('M_MISSING_PARAM', 'new_version is required');
  if (typeof newVersion !== 'string') throw new MatrixError('M_BAD_JSON', 'new_version must be a string');
  if (creators !== undefined && (!Array.isArray(creators) || !creators.every((c) => typeof c === 'string' && isValidUserId(c)))) {
    throw new MatrixError('M_BAD_JSON', 'additional_creators must be a list of user IDs');
  }
  return { newVersion, ...(creators !== undefined ? { additionalCreators: creators as string[] } : {}) };
}

export async function upgradeRoom(tenant: TenantContext, userId: string, roomId: string, request: UpgradeRequest): Promise<{ replacement_room: string }> {
  const newVersion = lookupRoomVersion(request.newVersion);
  if (!newVersion) throw new MatrixError('M_UNSUPPORTED_ROOM_VERSION', `Room version ${request.newVersion} is not supported`);
  if (request.additionalCreators?.length && !newVersion.privilegedCreators) {
    throw new MatrixError('M_INVALID_PARAM', `Room version ${newVersion.id} has no additional creators`);
  }
  const room = await getRoom(tenant.db, roomId);
  const oldVersion = room ? await roomVersionOf(tenant, roomId) : undefined;
  if (!room || !oldVersion || (await membershipInRoom(tenant.db, roomId, userId))?.membership !== 'join') {
    throw new MatrixError('M_FORBIDDEN', 'You are not in this room');
  }

  const state = await getCurrentState(tenant.db, roomId);
  const stateEvents = await getEvents(tenant.db, state.filter((s) => s.stateKey === '').map((s) => s.eventId));
  const contentOf = (type: string): Record<string, unknown> | undefined => {
    const entry = state.find((s) => s.type === type && s.stateKey === '');
    return entry ? stateEvents.get(entry.eventId)?.pdu.content : undefined;
  };
  const authState = [...stateEvents.values()].filter((e) => e.pdu.type === 'm.room.create' || e.pdu.type === 'm.room.power_levels').map((e) => ({ ...e.pdu, event_id: e.eventId }));
  const userLevel = userPowerLevel(userId, authState, oldVersion.id);
  if (userLevel < powerLevelRequiredFor('m.room.tombstone', true, authState, oldVersion.id)) {
    throw new MatrixError('M_FORBIDDEN', 'You may not upgrade this room: your power level is too low to send m.room.tombstone');
  }

  const oldCreate = contentOf('m.room.create') ?? {};
  const lastEvent = (await getForwardExtremities(tenant.db, roomId))[0];
  const createContent: Record<string, unknown> = {
    room_version: newVersion.id,
    predecessor: { room_id: roomId, ...(lastEvent !== undefined ? { event_id: lastEvent } : {}) },
  };
  if (typeof oldCreate.type === 'string') createContent.type = oldCreate.type;
  if (!newVersion.implicitRoomCreator) createContent.creator = userId;
  if (request.additionalCreators?.length) createContent.additional_creators = request.additionalCreators;
  const { roomId: newRoomId } = await createRoomWithCreateEvent(tenant, newVersion, userId, createContent);
  const send = (type: string, content: Record<string, unknown>, stateKey = '', target = newRoomId) =>
    createLocalEvent(tenant, target, { type, stateKey, sender: userId, content });
  await send('m.room.member', { membership: 'join' }, userId);

  // Power levels: as before, except that creators of a v12+ room cannot be listed, and the
  // upgrading user keeps the level that let them upgrade.
  const oldPower = contentOf('m.room.power_levels') ?? {};
  const users = { ...((typeof oldPower.users === 'object' && oldPower.users !== null ? oldPower.users : {}) as Record<string, unknown>) };
  if (newVersion.privilegedCreators) {
    for (const creator of [userId, ...(request.additionalCreators ?? [])]) delete users[creator];
  } else if (Number.isFinite(userLevel)) {
    users[userId] = Math.max(userLevel, Number(users[userId] ?? 0));
  } else {
    // From a v12 room, where the user was a creator, into an older version: full power.
    users[userId] = 100;
  }
  await send('m.room.power_levels', { ...oldPower, users });
  for (const type of TRANSFERRED) {
    const content = contentOf(type);
    if (content !== undefined) await send(type, content);
  }
  await moveAliases(tenant.db, roomId, newRoomId);
  if (room.published) {
    await setRoomPublished(tenant.db, newRoomId, true);
    await setRoomPublished(tenant.db, roomId, false);
  }

  await send('m.room.tombstone', { body: 'This room has been replaced', replacement_room: newRoomId }, '', roomId);
  // Discourage further use of the old room; not fatal if the user may not change power levels.
  const defaults = parsePowerLevels(oldPower, oldVersion.id);
  const restricted = Math.max(50, defaults.usersDefault + 1);
  try {
    await send('m.room.power_levels', { ...oldPower, events_default: restricted, invite: restricted }, '', roomId);
  } catch (error) {
    tenant.log.info({ err: error, roomId }, 'could not restrict the old room after an upgrade');
  }
  return { replacement_room: newRoomId };
}
