// /sync's end-to-end encryption key fields (spec, "Extensions to /sync" of the E2EE module):
// - device_one_time_keys_count and device_unused_fallback_key_types of the syncing device,
//   in every response (they never make a long-poll return: they are state, not news);
// - device_lists {changed, left} on incremental syncs (device-list-updates.ts), which do
//   count as news.
import type { KeyStock } from '../../storage/sync-head.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { deviceListUpdates, type DeviceListPositions, type DeviceListUpdates } from '../keys/device-list-updates.ts';
import { deviceKeyCounts } from '../keys/key-counts.ts';

export interface E2eeKeysForSync {
  /** Absent on initial syncs and when nothing changed. */
  deviceLists?: DeviceListUpdates;
  oneTimeKeyCounts: Record<string, number>;
  unusedFallbackKeyTypes: string[];
}

export async function e2eeKeysForSync(
  tenant: TenantContext,
  viewer: Viewer,
  window: { since?: DeviceListPositions; upTo: DeviceListPositions; membershipMayHaveChanged?: boolean; keyStock: KeyStock },
): Promise<E2eeKeysForSync> {
  const lists = window.since
    ? await deviceListUpdates(tenant, viewer.userId, window.since, window.upTo, { membershipMayHaveChanged: window.membershipMayHaveChanged })
    : undefined;
  const counts = deviceKeyCounts(window.keyStock);
  const changed = lists !== undefined && (lists.changed.length > 0 || lists.left.length > 0);
  return { ...(changed ? { deviceLists: lists } : {}), ...counts };
}

/** The response fields this part fills (structurally, sync's own type). */
export interface E2eeSyncFields {
  device_lists?: { changed: string[]; left: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
}

/** Puts the fields into the response; returns how many things were reported (device-list
 * changes only: the counts are always present and must not end a long-poll). */
export function addE2eeKeysToSync(response: E2eeSyncFields, data: E2eeKeysForSync): number {
  response.device_one_time_keys_count = data.oneTimeKeyCounts;
  response.device_unused_fallback_key_types = data.unusedFallbackKeyTypes;
  if (!data.deviceLists) return 0;
  response.device_lists = data.deviceLists;
  return 1;
}
