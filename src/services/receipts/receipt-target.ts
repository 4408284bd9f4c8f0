// Shared by /receipt and /read_markers: the receipting user must be joined to the room, and
// the event must be one of the room's events.
import { MatrixError } from '../../errors/matrix-error.ts';
import { parseEventId } from '../../protocol/ids.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import { getEvent, type StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';

export const RECEIPT_TYPES = ['m.read', 'm.read.private'] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];
export const FULLY_READ = 'm.fully_read';

export async function requireJoinedForReceipts(tenant: TenantContext, userId: string, roomId: string): Promise<void> {
  requireRoomIdParam(roomId);
  const membership = await membershipInRoom(tenant.db, roomId, userId);
  if (membership?.membership !== 'join') throw new MatrixError('M_FORBIDDEN', 'You are not joined to this room');
}

/** The event, which must belong to the room: 400 for a malformed ID, 404 otherwise. */
export async function requireRoomEvent(tenant: TenantContext, roomId: string, eventId: string): Promise<StoredEvent> {
  if (!parseEventId(eventId) || Buffer.byteLength(eventId) > 255) throw new MatrixError('M_INVALID_PARAM', `${eventId} is not a valid event ID`);
  const event = await getEvent(tenant.db, eventId);
  if (!event || event.roomId !== roomId) throw new MatrixError('M_NOT_FOUND', 'Event not found in this room');
  return event;
}
