// Re-announces a user's presence without changing it (a new stream position, so everyone
// sharing a room receives it again): used when the profile changes, since m.presence events
// carry the displayname and avatar_url.
import { getPresence, writePresence } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { wakePresenceAudience } from './presence-audience.ts';
import { clearPresenceQuiet } from './presence-memo.ts';

export async function announcePresence(tenant: TenantContext, userId: string): Promise<void> {
  clearPresenceQuiet(tenant, userId);
  await tenant.db.transaction().execute(async (trx) => {
    const before = await getPresence(trx, userId, { forUpdate: true });
    await writePresence(trx, {
      userId,
      state: before?.state ?? 'offline',
      statusMsg: before?.statusMsg ?? null,
      lastActiveTs: before?.lastActiveTs ?? null,
      lastSyncTs: before?.lastSyncTs ?? null,
    });
  });
  await wakePresenceAudience(tenant, userId);
}
