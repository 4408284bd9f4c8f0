// POST /rooms/{roomId}/kick: sets a member's (or invitee's, or knocker's) membership to
// leave. The power level checks are the room's auth rules.
import { MatrixError } from '../../errors/matrix-error.ts';
import { isHistoricalUserId } from '../../protocol/ids.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { membershipContent, requireRoomIdSyntax, sendMembership } from './membership-event.ts';

export async function kickUser(tenant: TenantContext, sender: string, roomId: string, target: string, reason?: string): Promise<Record<string, never>> {
  requireRoomIdSyntax(roomId);
  if (!isHistoricalUserId(target)) throw new MatrixError('M_INVALID_PARAM', `${target} is not a valid user ID`);
  const current = await membershipInRoom(tenant.db, roomId, target);
  if (current === undefined || !['join', 'invite', 'knock'].includes(current.membership)) {
    throw new MatrixError('M_FORBIDDEN', `${target} is not in the room`);
  }
  await sendMembership(tenant, roomId, sender, target, await membershipContent(tenant, 'leave', { reason }));
  return {};
}
