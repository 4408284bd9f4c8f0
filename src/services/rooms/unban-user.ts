// POST /rooms/{roomId}/unban: a banned user's membership becomes leave, so they may be
// invited or join again.
import { MatrixError } from '../../errors/matrix-error.ts';
import { isHistoricalUserId } from '../../protocol/ids.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { membershipContent, requireRoomIdSyntax, sendMembership } from './membership-event.ts';

export async function unbanUser(tenant: TenantContext, sender: string, roomId: string, target: string, reason?: string): Promise<Record<string, never>> {
  requireRoomIdSyntax(roomId);
  if (!isHistoricalUserId(target)) throw new MatrixError('M_INVALID_PARAM', `${target} is not a valid user ID`);
  const current = await membershipInRoom(tenant.db, roomId, target);
  if (current?.membership !== 'ban') throw new MatrixError('M_FORBIDDEN', `${target} is not banned from the room`);
  await sendMembership(tenant, roomId, sender, target, await membershipContent(tenant, 'leave', { reason }));
  return {};
}
