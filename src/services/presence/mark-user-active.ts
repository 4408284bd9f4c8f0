// Activity of a user (typing, receipts, read markers; the send path may call it too): see
// markUserActive.
import { getPresence, writePresence } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { wakePresenceAudience } from './presence-audience.ts';
import { clearPresenceQuiet, notePresenceQuiet, presenceIsQuiet } from './presence-memo.ts';
import { effectiveState, isCurrentlyActive } from './presence-view.ts';

/** A repeated activity within this long, changing nothing others see, is not written. */
const ACTIVITY_GRANULARITY_MS = 10_000;

/**
 * Records activity (typing, receipts, sending events): the user becomes `online` (spec
 * "Idle timeout": activity ends `unavailable`) and last_active_ago restarts. Others are told
 * when what they see changes: the state, or currently_active becoming true.
 */
export async function markUserActive(tenant: TenantContext, userId: string): Promise<void> {
  const now = Date.now();
  if (presenceIsQuiet(tenant, 'active', userId, now)) return;
  const before = await getPresence(tenant.db, userId);
  const changed = !(effectiveState(before, now) === 'online' && isCurrentlyActive(before, now));
  if (!changed && before?.lastActiveTs != null && now - before.lastActiveTs < ACTIVITY_GRANULARITY_MS) {
    notePresenceQuiet(tenant, 'active', userId, now, before.lastActiveTs + ACTIVITY_GRANULARITY_MS);
    return;
  }
  clearPresenceQuiet(tenant, userId);
  await tenant.db.transaction().execute(async (trx) => {
    const row = await getPresence(trx, userId, { forUpdate: true });
    await writePresence(
      trx,
      { userId, state: 'online', statusMsg: row?.statusMsg ?? null, lastActiveTs: now, lastSyncTs: row?.lastSyncTs ?? null },
      !changed && row ? { keepStreamId: row.streamId } : {},
    );
  });
  // Online and currently active from now on: the next activity within the granularity writes nothing.
  notePresenceQuiet(tenant, 'active', userId, now, now + ACTIVITY_GRANULARITY_MS);
  if (changed) await wakePresenceAudience(tenant, userId);
}
