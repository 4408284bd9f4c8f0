// What else deactivating an account must do once the account itself is closed: leave every
// joined room, reject pending invites, retract knocks.
import type { TenantContext } from '../../tenancy/context.ts';
import { leaveAllRooms } from '../rooms/leave-all-rooms.ts';

export async function leaveRoomsOfDeactivatedUser(tenant: TenantContext, userId: string): Promise<void> {
  await leaveAllRooms(tenant, userId, 'Account deactivated');
}
