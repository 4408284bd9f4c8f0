// The syncing device's send-to-device messages in /sync. Delivery is at least once: a
// message is deleted only when the device acknowledges it by syncing with a token whose
// to_device position is at or past the message's. So an incremental sync first deletes what
// its `since` acknowledges, then returns the next messages, oldest first, at most
// TO_DEVICE_SYNC_LIMIT. When more remain, next_batch names the position of the last message
// delivered rather than the current one, so the rest come with the next sync and nothing is
// skipped. An initial sync acknowledges nothing.
import { takeToDeviceInbox } from '../../storage/to-device.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { deviceKey, type Viewer } from '../rooms/client-event.ts';
import { encodeSyncToken, parseSyncToken, type SyncToken } from '../sync/sync-token.ts';

/** Devices whose empty inbox a shard remembers (per tenant). */
const MAX_REMEMBERED_DEVICES = 10_000;

/** Messages per sync response (the spec recommends 100). */
export const TO_DEVICE_SYNC_LIMIT = 100;

export interface ToDeviceEvent {
  sender: string;
  type: string;
  content: Record<string, unknown>;
}

export interface ToDeviceForSync {
  events: ToDeviceEvent[];
  /** The to_device position for next_batch. */
  position: number;
}

/**
 * `since`: the to_device position of the since token (undefined: initial sync); `upTo`: the
 * current position (what next_batch would name). Positions up to `upTo` are all committed
 * (stream_positions), so nothing delivered here can be skipped by next_batch.
 */
export async function toDeviceForSync(tenant: TenantContext, viewer: Viewer, range: { since?: number; upTo: number }): Promise<ToDeviceForSync> {
  // A token from beyond the current position (forged, or another tenant's) acknowledges
  // only what exists, so later messages are not skipped.
  const acked = range.since === undefined ? 0 : Math.min(range.since, range.upTo);
  // The inbox is known empty through a position no message has been sent past: skip the query.
  const device = deviceKey(viewer);
  const emptyThrough = tenant.caches.toDeviceEmptyThrough?.get(device);
  if (range.since !== undefined && emptyThrough !== undefined && range.upTo <= emptyThrough) return { events: [], position: range.upTo };
  const messages = await takeToDeviceInbox(tenant.db, viewer.userId, viewer.deviceId, { after: acked, upTo: range.upTo, limit: TO_DEVICE_SYNC_LIMIT + 1 });
  // Everything up to `acked` is deleted now; with nothing after it, the inbox is empty through upTo.
  (tenant.caches.toDeviceEmptyThrough ??= new BoundedMap(MAX_REMEMBERED_DEVICES)).set(device, messages.length === 0 ? range.upTo : acked);
  const delivered = messages.slice(0, TO_DEVICE_SYNC_LIMIT);
  const last = delivered.at(-1);
  return {
    events: delivered.map((m) => ({ sender: m.sender, type: m.type, content: m.content })),
    position: messages.length > TO_DEVICE_SYNC_LIMIT && last ? last.position : range.upTo,
  };
}

/**
 * Reads the device's messages for a sync response whose next_batch names `now`: sets
 * `to_device` (absent when there is nothing) and next_batch's to_device position. Returns
 * how many things were reported (0: an incremental sync may wait).
 */
export async function addToDeviceToSync(
  tenant: TenantContext,
  viewer: Viewer,
  response: { next_batch: string; to_device?: { events: ToDeviceEvent[] } },
  since: SyncToken | undefined,
  now: SyncToken,
): Promise<number> {
  const part = await toDeviceForSync(tenant, viewer, { ...(since ? { since: since.to_device } : {}), upTo: now.to_device });
  // Only the to_device part changes (other parts may have adjusted next_batch already).
  response.next_batch = encodeSyncToken({ ...(parseSyncToken(response.next_batch) ?? now), to_device: part.position });
  if (part.events.length === 0) return 0;
  response.to_device = { events: part.events };
  return 1;
}
