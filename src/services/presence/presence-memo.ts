// Per tenant: until when a user's presence certainly needs no write for activity (sending,
// typing, receipts) or for a sync, because the row last read or written shows that nothing
// others see would change before then. Without it, every send and every sync would read
// the user's presence row first. Every presence write on this shard clears the user's
// memo; a write on another shard is noticed once the memo lapses (at most MAX_QUIET_MS).
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';

const MAX_QUIET_MS = 10_000;
/** Users remembered per tenant. */
const MAX_ENTRIES = 10_000;

export type QuietKind = 'active' | 'sync-online' | 'sync-unavailable';

function memo(tenant: TenantContext): BoundedMap<string, number> {
  return (tenant.caches.presenceQuiet ??= new BoundedMap(MAX_ENTRIES));
}

/** True while a write of this kind is known to be unnecessary. */
export function presenceIsQuiet(tenant: TenantContext, kind: QuietKind, userId: string, now: number): boolean {
  const until = tenant.caches.presenceQuiet?.get(`${kind}\u0000${userId}`);
  return until !== undefined && now < until;
}

/** Records that no write of this kind is needed before `until` (capped at MAX_QUIET_MS from now). */
export function notePresenceQuiet(tenant: TenantContext, kind: QuietKind, userId: string, now: number, until: number): void {
  if (until <= now) return;
  memo(tenant).set(`${kind}\u0000${userId}`, Math.min(until, now + MAX_QUIET_MS));
}

/** A presence write happened: the memos of the user no longer hold. */
export function clearPresenceQuiet(tenant: TenantContext, userId: string): void {
  const entries = tenant.caches.presenceQuiet;
  if (!entries) return;
  for (const kind of ['active', 'sync-online', 'sync-unavailable'] as const) entries.delete(`${kind}\u0000${userId}`);
}
