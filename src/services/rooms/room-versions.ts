// Room versions of rooms, cached per tenant (a room's version never changes).
import { requireRoomVersion, type RoomVersion } from '../../protocol/room-versions.ts';
import { getRoomVersions } from '../../storage/rooms/rooms.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';

const MAX_CACHED_ROOMS = 10_000;

/** Versions of the known rooms among `roomIds`; unknown rooms are absent. */
export async function roomVersionsOf(tenant: TenantContext, roomIds: Iterable<string>): Promise<Map<string, RoomVersion>> {
  tenant.caches.roomVersions ??= new BoundedMap(MAX_CACHED_ROOMS);
  const cache = tenant.caches.roomVersions;
  const result = new Map<string, RoomVersion>();
  const missing: string[] = [];
  for (const roomId of new Set(roomIds)) {
    const cached = cache.get(roomId);
    if (cached !== undefined) result.set(roomId, requireRoomVersion(cached));
    else missing.push(roomId);
  }
  for (const [roomId, version] of await getRoomVersions(tenant.db, missing)) {
    cache.set(roomId, version);
    result.set(roomId, requireRoomVersion(version));
  }
  return result;
}

export async function roomVersionOf(tenant: TenantContext, roomId: string): Promise<RoomVersion | undefined> {
  return (await roomVersionsOf(tenant, [roomId])).get(roomId);
}
