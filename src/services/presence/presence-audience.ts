// Who sees a user's presence: the user and everyone joined to a room they are joined to.
import { shareARoom, usersSharingRooms } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export async function canSeePresence(tenant: TenantContext, viewerId: string, userId: string): Promise<boolean> {
  return viewerId === userId || shareARoom(tenant.db, viewerId, userId);
}

/** Wakes the sync of the user and of everyone sharing a room with them. */
export async function wakePresenceAudience(tenant: TenantContext, userId: string): Promise<void> {
  const users = new Set(await usersSharingRooms(tenant.db, userId));
  users.add(userId);
  tenant.notifier.notify(users);
}
