// POST /rooms/{roomId}/invite (by user ID). Inviting users of other servers needs the
// federation invite handshake, which is not there yet: refused with 403.
import { MatrixError } from '../../errors/matrix-error.ts';
import { isValidUserId } from '../../protocol/ids.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import { getLocalProfile } from '../../storage/profiles.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { isLocalUser, membershipContent, requireRoomIdSyntax, sendMembership } from './membership-event.ts';

export async function inviteUser(tenant: TenantContext, inviter: string, roomId: string, invitee: string, reason?: string): Promise<Record<string, never>> {
  requireRoomIdSyntax(roomId);
  if (!isValidUserId(invitee)) throw new MatrixError('M_INVALID_PARAM', `${invitee} is not a valid user ID`);
  if (!isLocalUser(tenant, invitee)) {
    throw new MatrixError('M_FORBIDDEN', 'Inviting users of other servers needs federation, which this server does not offer yet');
  }
  const profile = await getLocalProfile(tenant.db, invitee);
  if (!profile || profile.deactivated) throw new MatrixError('M_NOT_FOUND', `Unknown user ${invitee}`);
  const current = await membershipInRoom(tenant.db, roomId, invitee);
  if (current?.membership === 'invite') return {};
  if (current?.membership === 'join') throw new MatrixError('M_FORBIDDEN', `${invitee} is already in the room`);
  if (current?.membership === 'ban') throw new MatrixError('M_FORBIDDEN', `${invitee} is banned from the room`);
  const content = await membershipContent(tenant, 'invite', { reason, profileOf: invitee });
  await sendMembership(tenant, roomId, inviter, invitee, content);
  return {};
}
