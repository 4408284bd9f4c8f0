// PUT /presence/{userId}/status: only the user themself. Setting the state counts as
// activity (last_active_ago restarts). Others are told (a new presence stream position and a
// wake-up of everyone sharing a room) when what they see changes: the state, the status
// message, or currently_active; a client repeating "online" just refreshes the timestamp.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getPresence, writePresence, type PresenceState } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { wakePresenceAudience } from './presence-audience.ts';
import { clearPresenceQuiet } from './presence-memo.ts';
import { effectiveState, isCurrentlyActive } from './presence-view.ts';

export interface PresenceUpdate {
  presence: PresenceState;
  /** Undefined or null: no status message. */
  statusMsg?: string | null;
}

export async function setPresence(tenant: TenantContext, requesterId: string, userId: string, update: PresenceUpdate): Promise<Record<string, never>> {
  if (requesterId !== userId) throw new MatrixError('M_FORBIDDEN', 'You can only set your own presence');
  const now = Date.now();
  const statusMsg = update.statusMsg ?? null;
  clearPresenceQuiet(tenant, userId);
  const announced = await tenant.db.transaction().execute(async (trx) => {
    const before = await getPresence(trx, userId, { forUpdate: true });
    const unchanged =
      before !== undefined &&
      effectiveState(before, now) === update.presence &&
      before.statusMsg === statusMsg &&
      (update.presence !== 'online' || isCurrentlyActive(before, now));
    await writePresence(
      trx,
      { userId, state: update.presence, statusMsg, lastActiveTs: now, lastSyncTs: before?.lastSyncTs ?? null },
      unchanged ? { keepStreamId: before.streamId } : {},
    );
    return !unchanged;
  });
  if (announced) await wakePresenceAudience(tenant, userId);
  return {};
}
