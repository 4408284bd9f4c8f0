// Who may read a room (state, members, messages, events): members now; departed members
// (left, kicked, banned) up to their departure unless they forgot the room; anyone when the
// room is world readable. Everyone else gets 403 — unknown rooms included, so room IDs of
// other rooms (or tenants) cannot be probed.
import { MatrixError } from '../../errors/matrix-error.ts';
import type { RoomVersion } from '../../protocol/room-versions.ts';
import { getCurrentStateEventId, membershipInRoom, type UserMembership } from '../../storage/rooms/current-state.ts';
import { getEvent } from '../../storage/rooms/events.ts';
import { getRoom } from '../../storage/rooms/rooms.ts';
import { getEventStateGroups } from '../../storage/rooms/state-groups.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { roomVersionOf } from './room-versions.ts';
import { HISTORY_VISIBILITY, historyVisibilityOf } from './visibility.ts';

export interface RoomReadAccess {
  roomId: string;
  roomVersion: RoomVersion;
  membership: UserMembership | undefined;
  /** The last stream position the user may read (their departure); undefined: up to now. */
  upTo: number | undefined;
  /** The state the user sees: the room's current state group, or the one after their departure. */
  stateGroup: string;
}

export function notInRoom(): MatrixError {
  return new MatrixError('M_FORBIDDEN', 'You are not a member of this room, nor were you before');
}

export async function isWorldReadable(tenant: TenantContext, roomId: string): Promise<boolean> {
  const id = await getCurrentStateEventId(tenant.db, roomId, HISTORY_VISIBILITY, '');
  if (id === undefined) return false;
  return historyVisibilityOf((await getEvent(tenant.db, id))?.pdu.content) === 'world_readable';
}

/** Throws 403 M_FORBIDDEN when the user may not read the room. */
export async function requireReadAccess(tenant: TenantContext, userId: string, roomId: string, options: { allowDeparted?: boolean } = {}): Promise<RoomReadAccess> {
  const room = await getRoom(tenant.db, roomId);
  const roomVersion = room ? await roomVersionOf(tenant, roomId) : undefined;
  if (!room || !roomVersion || room.currentStateGroup === null) throw notInRoom();
  const membership = await membershipInRoom(tenant.db, roomId, userId);
  const current = { roomId, roomVersion, membership, upTo: undefined, stateGroup: room.currentStateGroup };
  if (membership?.membership === 'join') return current;
  if ((options.allowDeparted ?? true) && membership && (membership.membership === 'leave' || membership.membership === 'ban') && !membership.forgotten) {
    const groups = await getEventStateGroups(tenant.db, membership.eventId);
    if (groups) return { ...current, upTo: membership.streamOrdering, stateGroup: groups.after };
  }
  if (await isWorldReadable(tenant, roomId)) return current;
  throw notInRoom();
}

/** Throws 403 unless the user is joined to the room now. */
export async function requireJoined(tenant: TenantContext, userId: string, roomId: string): Promise<RoomReadAccess> {
  const room = await getRoom(tenant.db, roomId);
  const roomVersion = room ? await roomVersionOf(tenant, roomId) : undefined;
  if (!room || !roomVersion || room.currentStateGroup === null) throw new MatrixError('M_FORBIDDEN', 'You are not joined to this room');
  const membership = await membershipInRoom(tenant.db, roomId, userId);
  if (membership?.membership !== 'join') throw new MatrixError('M_FORBIDDEN', 'You are not joined to this room');
  return { roomId, roomVersion, membership, upTo: undefined, stateGroup: room.currentStateGroup };
}
