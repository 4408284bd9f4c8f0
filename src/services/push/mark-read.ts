// Marks a room (or one thread of it) read up to an event without a receipt, e.g. for code
// that clears notifications on the user's behalf. Read receipts need not call this:
// unread counts read the receipts table directly.
import { advanceReadMark, WHOLE_ROOM } from '../../storage/push/read-marks.ts';
import type { TenantContext } from '../../tenancy/context.ts';

/**
 * Notifications of `userId` in `roomId` up to and including the event at
 * `eventStreamOrdering` are read: in the whole room when `threadId` is null, else in that
 * thread ('main' for the main timeline). Marks only move forward. Wakes the user's syncs.
 */
export async function markRead(tenant: TenantContext, userId: string, roomId: string, eventStreamOrdering: number, threadId: string | null): Promise<void> {
  await tenant.db
    .transaction()
    .execute((trx) => advanceReadMark(trx, { userId, roomId, threadId: threadId ?? WHOLE_ROOM, streamOrdering: eventStreamOrdering }));
  tenant.notifier.notify([userId]);
}
