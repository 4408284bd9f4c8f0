// POST /rooms/{roomId}/forget: a departed user stops remembering a room. It leaves their
// /sync (include_leave too) and they can no longer read its history, until their
// membership changes again (re-join, invite, knock).
import { MatrixError } from '../../errors/matrix-error.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import { forgetRoom as storeForgotten } from '../../storage/rooms/forgotten.ts';
import { getRoom } from '../../storage/rooms/rooms.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdSyntax } from './membership-event.ts';

export async function forgetRoom(tenant: TenantContext, userId: string, roomId: string): Promise<Record<string, never>> {
  requireRoomIdSyntax(roomId);
  if (!(await getRoom(tenant.db, roomId))) throw new MatrixError('M_NOT_FOUND', `Unknown room ${roomId}`);
  const current = await membershipInRoom(tenant.db, roomId, userId);
  if (current === undefined) throw new MatrixError('M_NOT_FOUND', 'You have never been in this room');
  if (current.membership !== 'leave' && current.membership !== 'ban') {
    throw new MatrixError('M_UNKNOWN', `You are still in room ${roomId} (membership ${current.membership}); leave it first`, { status: 400 });
  }
  await storeForgotten(tenant.db, userId, roomId, current.eventId);
  return {};
}
