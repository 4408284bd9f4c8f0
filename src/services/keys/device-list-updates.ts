// Whose device lists a user should re-fetch between two sync tokens (/sync's device_lists,
// GET /keys/changes):
// - changed: users now sharing a room with the viewer whose devices or keys changed in
//   (since, upTo] of the device_lists stream, the viewer themselves when their own changed,
//   changes addressed to the viewer alone, and users who started sharing a room with the
//   viewer in (since, upTo] of the events stream (the spec: their list may be stale);
// - left: users who stopped sharing every room with the viewer in that events window.
// At most four queries, whatever the number of rooms; none when neither stream moved.
// Every room counts, not only encrypted ones (as in Synapse): simpler, and a superset.
import { changedDeviceListsVisibleTo, departureCandidates } from '../../storage/e2ee/device-list-changes.ts';
import { usersNewlySharingRooms, usersSharingRooms } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface DeviceListPositions {
  events: number;
  device_lists: number;
}

export interface DeviceListUpdates {
  changed: string[];
  left: string[];
}

/** `membershipMayHaveChanged: false` (a sync that saw no membership event in the viewer's
 * rooms between the tokens) skips the search for newcomers and departures. */
export async function deviceListUpdates(
  tenant: TenantContext,
  viewerId: string,
  since: DeviceListPositions,
  upTo: DeviceListPositions,
  options: { membershipMayHaveChanged?: boolean | undefined } = {},
): Promise<DeviceListUpdates> {
  const eventsMoved = upTo.events > since.events && options.membershipMayHaveChanged !== false;
  const [changedKeys, newcomers, candidates] = await Promise.all([
    changedDeviceListsVisibleTo(tenant.db, viewerId, since.device_lists, upTo.device_lists),
    eventsMoved ? usersNewlySharingRooms(tenant.db, viewerId, since.events, upTo.events) : [],
    eventsMoved ? departureCandidates(tenant.db, viewerId, since.events, upTo.events) : [],
  ]);
  const changed = new Set(changedKeys);
  for (const userId of newcomers) if (userId !== viewerId) changed.add(userId);
  let left: string[] = [];
  if (candidates.length > 0) {
    const sharing = new Set(await usersSharingRooms(tenant.db, viewerId));
    left = [...new Set(candidates)].filter((userId) => userId !== viewerId && !sharing.has(userId) && !changed.has(userId));
  }
  return { changed: [...changed].sort(), left: left.sort() };
}
