// DELETE /directory/room/{roomAlias}: by the alias' creator, a server admin, or a member of
// the room allowed to change its m.room.canonical_alias.
import { MatrixError } from '../../errors/matrix-error.ts';
import { powerLevelRequiredFor, userPowerLevel } from '../../protocol/auth/index.ts';
import { deleteAlias as removeAlias, getAlias } from '../../storage/rooms/aliases.ts';
import { getCurrentStateEventId, membershipInRoom } from '../../storage/rooms/current-state.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireAliasSyntax } from './resolve-alias.ts';
import { roomVersionOf } from './room-versions.ts';

/** Joined and allowed to change m.room.canonical_alias: the bar for managing how a room is listed. */
export async function mayChangeCanonicalAlias(tenant: TenantContext, userId: string, roomId: string): Promise<boolean> {
  const version = await roomVersionOf(tenant, roomId);
  if (!version || (await membershipInRoom(tenant.db, roomId, userId))?.membership !== 'join') return false;
  const ids = await Promise.all([getCurrentStateEventId(tenant.db, roomId, 'm.room.create', ''), getCurrentStateEventId(tenant.db, roomId, 'm.room.power_levels', '')]);
  const events = await getEvents(tenant.db, ids.filter((id): id is string => id !== undefined));
  const authState = [...events.values()].map((e) => ({ ...e.pdu, event_id: e.eventId }));
  return userPowerLevel(userId, authState, version.id) >= powerLevelRequiredFor('m.room.canonical_alias', true, authState, version.id);
}

export async function deleteAlias(tenant: TenantContext, requester: { userId: string; isAdmin: boolean }, alias: string): Promise<Record<string, never>> {
  requireAliasSyntax(alias);
  const found = await getAlias(tenant.db, alias);
  if (!found) throw new MatrixError('M_NOT_FOUND', `Room alias ${alias} not found`);
  const allowed = found.creator === requester.userId || requester.isAdmin || (await mayChangeCanonicalAlias(tenant, requester.userId, found.roomId));
  if (!allowed) throw new MatrixError('M_FORBIDDEN', 'Only the creator of an alias, a server admin or a room moderator may delete it');
  await removeAlias(tenant.db, alias);
  return {};
}
