// Stores an m.read / m.read.private receipt (only ever moving forward in the room's stream)
// and wakes whoever sees it: the room's joined members for m.read, only the user for
// m.read.private (spec: never sent to anyone else).
import { advanceReceipt } from '../../storage/receipts.ts';
import { roomMembers } from '../../storage/rooms/current-state.ts';
import type { StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ReceiptType } from './receipt-target.ts';

export async function putReceipt(tenant: TenantContext, userId: string, receiptType: ReceiptType, event: StoredEvent, threadId: string | undefined): Promise<void> {
  const position = await tenant.db.transaction().execute((trx) =>
    advanceReceipt(trx, {
      roomId: event.roomId,
      receiptType,
      userId,
      threadId: threadId ?? null,
      eventId: event.eventId,
      eventStream: event.streamOrdering,
      ts: Date.now(),
    }),
  );
  if (position === undefined) return;
  if (receiptType === 'm.read.private') {
    tenant.notifier.notify([userId]);
    return;
  }
  const members = await roomMembers(tenant.db, event.roomId, ['join']);
  tenant.notifier.notify(new Set([userId, ...members.map((m) => m.userId)]));
}
