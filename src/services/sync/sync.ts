// GET /sync: computes the response (build-sync.ts) and, for an incremental sync with nothing
// to report, long-polls: it waits on the tenant's notifier until an event concerning the
// user is persisted or `timeout` passes, then computes again. The waiter is registered
// before each computation, so an event committed while computing still wakes it. Nothing
// polls the database. A request whose since token is the current position of every stream
// (the usual next long-poll) waits first and computes only once woken or timed out. Whether
// it is current needs no query when the token is the one this shard last gave the device and
// no notification named the user since that response was computed (the notifier's sequence).
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { deviceKey, type Viewer } from '../rooms/client-event.ts';
import { buildSync, type SyncRequest, type SyncResponse } from './build-sync.ts';
import { currentSyncToken } from './current-token.ts';
import { encodeSyncToken, SYNC_STREAMS, type SyncToken } from './sync-token.ts';

export interface SyncOptions extends SyncRequest {
  /** Longest wait in milliseconds (0: answer at once). */
  timeoutMs: number;
  /** Aborts the wait (the client went away). */
  signal?: AbortSignal;
}

/** Longest wait a request may ask for. */
export const MAX_SYNC_TIMEOUT_MS = 5 * 60_000;

/** A woken long-poll computes again no sooner than this after its previous computation:
 * under a burst of events, one computation then carries several of them instead of one
 * computation per event. At ordinary rates a wake comes later than this and costs nothing. */
export const SYNC_RECOMPUTE_INTERVAL_MS = 20;

/** Devices whose last response is remembered per tenant. */
const MAX_REMEMBERED_DEVICES = 10_000;

/** The last response this shard gave the device: its next_batch and the notifier's sequence
 * number when its computation started. */
export interface IssuedSyncToken {
  nextBatch: string;
  sequence: number;
}

function issuedTokens(tenant: TenantContext): BoundedMap<string, IssuedSyncToken> {
  return (tenant.caches.issuedSyncTokens ??= new BoundedMap(MAX_REMEMBERED_DEVICES));
}

/** What this shard knows of the since token without reading the positions: 'current' (it
 * gave the device this token and nothing was notified to the user since), 'moved' (it gave
 * it, and a notification came since: compute at once), or 'unknown'. */
function sinceTokenState(tenant: TenantContext, viewer: Viewer, since: SyncToken): 'current' | 'moved' | 'unknown' {
  const issued = tenant.caches.issuedSyncTokens?.get(deviceKey(viewer));
  if (issued === undefined || issued.nextBatch !== encodeSyncToken(since)) return 'unknown';
  return tenant.notifier.notifiedAfter(viewer.userId, issued.sequence) ? 'moved' : 'current';
}

/** Whether a token names exactly the current position of every stream. */
function isCurrent(since: SyncToken, now: SyncToken): boolean {
  return (Object.keys(SYNC_STREAMS) as Array<keyof SyncToken>).every((stream) => since[stream] === now[stream]);
}

export async function sync(tenant: TenantContext, viewer: Viewer, options: SyncOptions): Promise<SyncResponse> {
  const canWait = options.since !== undefined && !options.fullState;
  const deadline = Date.now() + Math.min(Math.max(0, options.timeoutMs), MAX_SYNC_TIMEOUT_MS);
  // A client long-polling with the token it was just given: nothing can be new, so wait
  // before computing anything (one query instead of a whole sync). The waiter is registered
  // before the positions are read, so nothing committed meanwhile is missed.
  // A notification since the token was given most likely brought something: compute at once
  // (if nothing is new after all, the loop below waits as usual).
  const known = options.since === undefined ? 'unknown' : sinceTokenState(tenant, viewer, options.since);
  if (canWait && options.since !== undefined && known !== 'moved' && deadline > Date.now() && !options.signal?.aborted) {
    const waiter = tenant.notifier.wait(viewer.userId, deadline - Date.now(), options.signal);
    let current: boolean;
    try {
      current = known === 'current' || isCurrent(options.since, await currentSyncToken(tenant));
    } catch (error) {
      waiter.cancel();
      throw error;
    }
    if (current) await waiter.promise;
    else waiter.cancel();
  }
  for (let computedAt = 0; ; ) {
    const spacing = computedAt + SYNC_RECOMPUTE_INTERVAL_MS - Date.now();
    if (spacing > 0) await new Promise((resolve) => setTimeout(resolve, spacing));
    computedAt = Date.now();
    const remaining = deadline - Date.now();
    const waiter = canWait && remaining > 0 && !options.signal?.aborted ? tenant.notifier.wait(viewer.userId, remaining, options.signal) : undefined;
    const sequence = tenant.notifier.sequence;
    let result;
    try {
      result = await buildSync(tenant, viewer, options);
    } catch (error) {
      waiter?.cancel();
      throw error;
    }
    if (!waiter || !result.empty) {
      waiter?.cancel();
      return issue(tenant, viewer, result.response, sequence);
    }
    // Woken: something may have happened for this user; compute again. Timed out or
    // aborted: the empty response (its next_batch is as fresh as the last computation).
    if (!(await waiter.promise)) return issue(tenant, viewer, result.response, sequence);
  }
}

/** Remembers the response's token for the device's next long-poll (see sinceTokenState). */
function issue(tenant: TenantContext, viewer: Viewer, response: SyncResponse, sequence: number): SyncResponse {
  issuedTokens(tenant).set(deviceKey(viewer), { nextBatch: response.next_batch, sequence });
  return response;
}
