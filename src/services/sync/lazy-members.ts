// Lazy-loaded members already sent to a device by /sync ("redundant membership events",
// client-server API "Lazy-loading room members"): unless include_redundant_members is set, a
// member event the device was sent before (and which is still the member's current event)
// is not sent again. Kept per tenant in memory, per user and device; an initial sync starts
// the device afresh. Losing the cache (tenant unloaded, another shard) only means sending
// some member events again, which the spec allows.
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { deviceKey, type Viewer } from '../rooms/client-event.ts';

const MAX_DEVICES = 10_000;

type DeviceMembers = Map<string, Map<string, string>>;

function cacheOf(tenant: TenantContext): BoundedMap<string, DeviceMembers> {
  tenant.caches.lazyLoadedMembers ??= new BoundedMap(MAX_DEVICES);
  return tenant.caches.lazyLoadedMembers;
}

/** Per room: member user ID → member event ID last sent to this device. */
export function sentMembers(tenant: TenantContext, viewer: Viewer): DeviceMembers {
  const cache = cacheOf(tenant);
  let members = cache.get(deviceKey(viewer));
  if (!members) cache.set(deviceKey(viewer), (members = new Map()));
  return members;
}

/** An initial sync: the device knows nothing yet. */
export function resetSentMembers(tenant: TenantContext, viewer: Viewer): void {
  cacheOf(tenant).delete(deviceKey(viewer));
}

export function recordSentMembers(tenant: TenantContext, viewer: Viewer, roomId: string, members: Iterable<[userId: string, eventId: string]>): void {
  const device = sentMembers(tenant, viewer);
  let room = device.get(roomId);
  for (const [userId, eventId] of members) {
    if (!room) device.set(roomId, (room = new Map()));
    room.set(userId, eventId);
  }
}
