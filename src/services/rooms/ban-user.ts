// POST /rooms/{roomId}/ban: bans a user (kicking them if they are in the room). Banning a
// user who never was in the room is allowed: the ban then keeps them out.
import { MatrixError } from '../../errors/matrix-error.ts';
import { isHistoricalUserId } from '../../protocol/ids.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { membershipContent, requireRoomIdSyntax, sendMembership } from './membership-event.ts';

export async function banUser(tenant: TenantContext, sender: string, roomId: string, target: string, reason?: string): Promise<Record<string, never>> {
  requireRoomIdSyntax(roomId);
  if (!isHistoricalUserId(target)) throw new MatrixError('M_INVALID_PARAM', `${target} is not a valid user ID`);
  await sendMembership(tenant, roomId, sender, target, await membershipContent(tenant, 'ban', { reason }));
  return {};
}
