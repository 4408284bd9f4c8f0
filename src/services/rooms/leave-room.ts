// POST /rooms/{roomId}/leave: leave a room, reject an invite or retract a knock. Leaving a
// room one has already left is a no-op; the room is not forgotten (see forget-room.ts).
import { MatrixError } from '../../errors/matrix-error.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import { getRoom } from '../../storage/rooms/rooms.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { membershipContent, requireRoomIdSyntax, sendMembership } from './membership-event.ts';

export async function leaveRoom(tenant: TenantContext, userId: string, roomId: string, reason?: string): Promise<Record<string, never>> {
  requireRoomIdSyntax(roomId);
  if (!(await getRoom(tenant.db, roomId))) throw new MatrixError('M_NOT_FOUND', `Unknown room ${roomId}`);
  const current = await membershipInRoom(tenant.db, roomId, userId);
  if (current?.membership === 'leave') return {};
  if (current === undefined) throw new MatrixError('M_FORBIDDEN', 'You are not in this room');
  if (current.membership === 'ban') throw new MatrixError('M_FORBIDDEN', 'You are banned from this room');
  await sendMembership(tenant, roomId, userId, userId, await membershipContent(tenant, 'leave', { reason }));
  return {};
}
