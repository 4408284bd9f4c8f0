// The position of every stream now: the next_batch of a sync computed now. Streams kept in
// stream_positions are read in one query; a stream kept elsewhere (in memory, like typing)
// adds its position here.
import { streamPositions, syncStarts, type SyncStart, type SyncStartRequest } from '../../storage/sync-head.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { currentTypingPosition } from '../sync-parts/typing.ts';
import type { SyncToken } from './sync-token.ts';

const STORED_STREAMS = ['events', 'account_data', 'presence', 'receipts', 'to_device', 'device_lists'] as const;

export async function currentSyncToken(tenant: TenantContext): Promise<SyncToken> {
  const stored = await streamPositions(tenant, STORED_STREAMS);
  return { ...stored, typing: currentTypingPosition(tenant) };
}

type Start = SyncStart<(typeof STORED_STREAMS)[number]>;

/** Sync starts requested in this turn of the event loop, run together at its end. */
export interface PendingSyncStarts {
  requests: SyncStartRequest[];
  settle: Array<{ resolve: (start: Start) => void; reject: (error: unknown) => void }>;
}

/**
 * How a sync computation starts, in one query (storage/sync-head.ts): the current token,
 * the device's key stock, the user's memberships with activity since `since`, and the
 * unread counts of the active joined rooms. The syncs one event wakes all start in the same
 * turn of the event loop: they are read together, one round trip for all of them.
 */
export async function syncHead(tenant: TenantContext, viewer: Viewer, since: number | undefined): Promise<Omit<Start, 'positions'> & { token: SyncToken }> {
  const { positions, ...rest } = await new Promise<Start>((resolve, reject) => {
    let pending = tenant.caches.pendingSyncStarts;
    if (!pending) {
      const batch: PendingSyncStarts = (pending = { requests: [], settle: [] });
      tenant.caches.pendingSyncStarts = batch;
      setImmediate(() => {
        tenant.caches.pendingSyncStarts = undefined;
        syncStarts(tenant, STORED_STREAMS, batch.requests).then(
          (starts) => batch.settle.forEach((s, i) => s.resolve(starts[i] as Start)),
          (error: unknown) => batch.settle.forEach((s) => s.reject(error)),
        );
      });
    }
    pending.requests.push({ userId: viewer.userId, deviceId: viewer.deviceId, since });
    pending.settle.push({ resolve, reject });
  });
  return { token: { ...positions, typing: currentTypingPosition(tenant) }, ...rest };
}
