// POST /rooms/{roomId}/join and POST /join/{roomIdOrAlias} for rooms of this tenant. A
// `restricted` room is joined through a local member with invite power
// (join_authorised_via_users_server). Rooms and aliases of other servers need federation,
// which is not there yet: they are 404 like unknown ones.
import { MatrixError } from '../../errors/matrix-error.ts';
import { parsePowerLevels, userPowerLevel } from '../../protocol/auth/index.ts';
import { parseRoomAlias, serverNameOf } from '../../protocol/ids.ts';
import type { RoomVersion } from '../../protocol/room-versions.ts';
import { getAlias } from '../../storage/rooms/aliases.ts';
import { getCurrentStateEventId, membershipInRoom, roomMembers, roomsForUser } from '../../storage/rooms/current-state.ts';
import { getEvent, getEvents } from '../../storage/rooms/events.ts';
import { getRoom } from '../../storage/rooms/rooms.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { isLocalUser, membershipContent, requireRoomIdSyntax, sendMembership } from './membership-event.ts';
import { roomVersionOf } from './room-versions.ts';

export interface JoinRequest {
  reason?: string;
}

/** A room ID or alias → the room ID of a room this tenant has. */
export async function resolveRoomIdOrAlias(tenant: TenantContext, roomIdOrAlias: string): Promise<string> {
  if (roomIdOrAlias.startsWith('#')) {
    const alias = parseRoomAlias(roomIdOrAlias);
    if (!alias) throw new MatrixError('M_INVALID_PARAM', `${roomIdOrAlias} is not a valid room alias`);
    if (alias.serverName !== tenant.serverName) {
      throw new MatrixError('M_NOT_FOUND', `Room alias ${roomIdOrAlias} is on another server; resolving it needs federation, which this server does not offer yet`);
    }
    const found = await getAlias(tenant.db, roomIdOrAlias);
    if (!found) throw new MatrixError('M_NOT_FOUND', `Room alias ${roomIdOrAlias} not found`);
    return found.roomId;
  }
  requireRoomIdSyntax(roomIdOrAlias);
  return roomIdOrAlias;
}

function unknownRoom(tenant: TenantContext, roomId: string): MatrixError {
  const server = serverNameOf(roomId);
  if (server !== undefined && server !== tenant.serverName) {
    return new MatrixError('M_NOT_FOUND', `Room ${roomId} is on another server; joining it needs federation, which this server does not offer yet`);
  }
  return new MatrixError('M_NOT_FOUND', `Unknown room ${roomId}`);
}

async function stateContent(tenant: TenantContext, roomId: string, type: string): Promise<Record<string, unknown> | undefined> {
  const id = await getCurrentStateEventId(tenant.db, roomId, type, '');
  return id === undefined ? undefined : (await getEvent(tenant.db, id))?.pdu.content;
}

/**
 * For a join without invite into a restricted room: a local member with invite power who
 * authorises it, when the user is joined to one of the rooms the join rules allow. Undefined
 * when no condition holds (the auth rules then refuse the join).
 */
async function restrictedJoinAuthoriser(tenant: TenantContext, roomId: string, userId: string, version: RoomVersion, joinRules: Record<string, unknown>): Promise<string | undefined> {
  const allow = Array.isArray(joinRules.allow) ? (joinRules.allow as unknown[]) : [];
  const allowedRooms = new Set(
    allow.flatMap((entry) => {
      const condition = entry as { type?: unknown; room_id?: unknown };
      return condition?.type === 'm.room_membership' && typeof condition.room_id === 'string' ? [condition.room_id] : [];
    }),
  );
  const joined = await roomsForUser(tenant.db, userId, ['join']);
  if (!joined.some((r) => allowedRooms.has(r.roomId))) return undefined;
  const [createId, powerId] = await Promise.all([
    getCurrentStateEventId(tenant.db, roomId, 'm.room.create', ''),
    getCurrentStateEventId(tenant.db, roomId, 'm.room.power_levels', ''),
  ]);
  const authEvents = await getEvents(tenant.db, [createId, powerId].filter((id): id is string => id !== undefined));
  const authState = [...authEvents.values()].map((e) => ({ ...e.pdu, event_id: e.eventId }));
  const powerContent = powerId === undefined ? undefined : authEvents.get(powerId)?.pdu.content;
  const inviteLevel = parsePowerLevels(powerContent ?? {}, version.id).invite;
  const members = await roomMembers(tenant.db, roomId, ['join']);
  return members.map((m) => m.userId).find((member) => isLocalUser(tenant, member) && userPowerLevel(member, authState, version.id) >= inviteLevel);
}

export async function joinRoom(tenant: TenantContext, userId: string, roomIdOrAlias: string, request: JoinRequest = {}): Promise<{ room_id: string }> {
  const roomId = await resolveRoomIdOrAlias(tenant, roomIdOrAlias);
  const room = await getRoom(tenant.db, roomId);
  const version = room ? await roomVersionOf(tenant, roomId) : undefined;
  if (!room || !version) throw unknownRoom(tenant, roomId);
  const current = await membershipInRoom(tenant.db, roomId, userId);
  if (current?.membership === 'join') return { room_id: roomId };
  if (current?.membership === 'ban') throw new MatrixError('M_FORBIDDEN', 'You are banned from this room');

  const extra: Record<string, unknown> = {};
  const joinRules = (await stateContent(tenant, roomId, 'm.room.join_rules')) ?? {};
  const restricted = joinRules.join_rule === 'restricted' || joinRules.join_rule === 'knock_restricted';
  if (restricted && version.restrictedJoins && current?.membership !== 'invite') {
    const authoriser = await restrictedJoinAuthoriser(tenant, roomId, userId, version, joinRules);
    if (authoriser !== undefined) extra.join_authorised_via_users_server = authoriser;
  }
  const content = await membershipContent(tenant, 'join', { reason: request.reason, profileOf: userId, extra });
  try {
    await sendMembership(tenant, roomId, userId, userId, content);
  } catch (error) {
    if (error instanceof MatrixError && error.errcode === 'M_FORBIDDEN') {
      throw new MatrixError('M_FORBIDDEN', `You may not join this room: ${error.message}`);
    }
    throw error;
  }
  return { room_id: roomId };
}
