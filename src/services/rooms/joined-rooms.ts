// GET /joined_rooms.
import { roomsForUser } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export async function joinedRooms(tenant: TenantContext, userId: string): Promise<{ joined_rooms: string[] }> {
  const rooms = await roomsForUser(tenant.db, userId, ['join']);
  return { joined_rooms: rooms.map((r) => r.roomId).sort() };
}
