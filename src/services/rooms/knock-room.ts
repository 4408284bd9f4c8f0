// POST /knock/{roomIdOrAlias}: ask to be invited into a room whose join rule is `knock` or
// `knock_restricted` (room versions 7+). The auth rules decide; rooms of other servers need
// federation, which is not there yet.
import { MatrixError } from '../../errors/matrix-error.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import { getRoom } from '../../storage/rooms/rooms.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { resolveRoomIdOrAlias } from './join-room.ts';
import { membershipContent, sendMembership } from './membership-event.ts';
import { roomVersionOf } from './room-versions.ts';

export async function knockRoom(tenant: TenantContext, userId: string, roomIdOrAlias: string, request: { reason?: string } = {}): Promise<{ room_id: string }> {
  const roomId = await resolveRoomIdOrAlias(tenant, roomIdOrAlias);
  const room = await getRoom(tenant.db, roomId);
  const version = room ? await roomVersionOf(tenant, roomId) : undefined;
  if (!room || !version) throw new MatrixError('M_NOT_FOUND', `Unknown room ${roomId}`);
  if (!version.knocking) throw new MatrixError('M_FORBIDDEN', `Room version ${version.id} does not support knocking`);
  const current = await membershipInRoom(tenant.db, roomId, userId);
  if (current?.membership === 'join') throw new MatrixError('M_FORBIDDEN', 'You are already in this room');
  if (current?.membership === 'invite') throw new MatrixError('M_FORBIDDEN', 'You are already invited to this room');
  if (current?.membership === 'ban') throw new MatrixError('M_FORBIDDEN', 'You are banned from this room');
  const content = await membershipContent(tenant, 'knock', { reason: request.reason, profileOf: userId });
  try {
    await sendMembership(tenant, roomId, userId, userId, content);
  } catch (error) {
    if (error instanceof MatrixError && error.errcode === 'M_FORBIDDEN') {
      throw new MatrixError('M_FORBIDDEN', `You may not knock on this room: ${error.message}`);
    }
    throw error;
  }
  return { room_id: roomId };
}
