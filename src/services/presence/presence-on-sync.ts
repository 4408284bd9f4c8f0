// What a /sync request does to its user's presence (its `set_presence` parameter, default
// "online"): "online" brings an offline user online (that counts as activity) but leaves
// "unavailable" alone; "unavailable" sets it; "offline" leaves presence untouched. Every
// sync that affects presence records that the user is connected (at most one write a minute
// when nothing else changes).
import { getPresence, writePresence, type PresenceState } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { wakePresenceAudience } from './presence-audience.ts';
import { clearPresenceQuiet, notePresenceQuiet, presenceIsQuiet } from './presence-memo.ts';
import { effectiveState } from './presence-view.ts';

/** How stale last_sync_ts may get before a sync refreshes it. */
const SYNC_SEEN_GRANULARITY_MS = 60_000;

export async function presenceOnSync(tenant: TenantContext, userId: string, setPresence: PresenceState = 'online'): Promise<void> {
  if (setPresence === 'offline') return;
  const now = Date.now();
  const kind = setPresence === 'online' ? 'sync-online' : 'sync-unavailable';
  if (presenceIsQuiet(tenant, kind, userId, now)) return;
  const before = await getPresence(tenant.db, userId);
  const current = effectiveState(before, now);
  const goesOnline = setPresence === 'online' && current === 'offline';
  const goesUnavailable = setPresence === 'unavailable' && current !== 'unavailable';
  const changed = goesOnline || goesUnavailable;
  if (!changed && before?.lastSyncTs != null && now - before.lastSyncTs < SYNC_SEEN_GRANULARITY_MS) {
    notePresenceQuiet(tenant, kind, userId, now, before.lastSyncTs + SYNC_SEEN_GRANULARITY_MS);
    return;
  }
  clearPresenceQuiet(tenant, userId);
  await tenant.db.transaction().execute(async (trx) => {
    const row = await getPresence(trx, userId, { forUpdate: true });
    await writePresence(
      trx,
      {
        userId,
        state: changed ? setPresence : (row?.state ?? 'offline'),
        statusMsg: row?.statusMsg ?? null,
        lastActiveTs: goesOnline ? now : (row?.lastActiveTs ?? null),
        lastSyncTs: now,
      },
      !changed && row ? { keepStreamId: row.streamId } : {},
    );
  });
  notePresenceQuiet(tenant, kind, userId, now, now + SYNC_SEEN_GRANULARITY_MS);
  if (changed) await wakePresenceAudience(tenant, userId);
}
