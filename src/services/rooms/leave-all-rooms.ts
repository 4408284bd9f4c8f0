// Leaves every room a user is in, rejects their invites and retracts their knocks: what
// deactivating an account does to its rooms (for accounts/deactivation-hooks.ts). A room
// where leaving fails is logged and skipped, so one room cannot block the rest.
import { roomsForUser } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { membershipContent, sendMembership } from './membership-event.ts';

export async function leaveAllRooms(tenant: TenantContext, userId: string, reason?: string): Promise<{ left: string[]; failed: string[] }> {
  const rooms = await roomsForUser(tenant.db, userId, ['join', 'invite', 'knock']);
  const left: string[] = [];
  const failed: string[] = [];
  for (const { roomId } of rooms) {
    try {
      await sendMembership(tenant, roomId, userId, userId, await membershipContent(tenant, 'leave', { reason }));
      left.push(roomId);
    } catch (error) {
      tenant.log.warn({ err: error, roomId, userId }, 'could not leave room');
      failed.push(roomId);
    }
  }
  return { left, failed };
}
