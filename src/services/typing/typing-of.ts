// The tenant's typing state (created on first use) and the wake-up of a room's members when
// its typing list changes.
import { roomMembers } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { TypingRooms } from './typing-rooms.ts';

/** Wakes the syncs of the rooms' joined members. */
export async function wakeTypingRooms(tenant: TenantContext, roomIds: readonly string[]): Promise<void> {
  const users = new Set<string>();
  for (const roomId of roomIds) for (const member of await roomMembers(tenant.db, roomId, ['join'])) users.add(member.userId);
  tenant.notifier.notify(users);
}

export function typingOf(tenant: TenantContext): TypingRooms {
  tenant.caches.typing ??= new TypingRooms(Date.now(), (roomIds) => {
    wakeTypingRooms(tenant, roomIds).catch((error: unknown) => tenant.log.warn({ err: error }, 'could not wake syncs after typing expired'));
  });
  return tenant.caches.typing;
}
