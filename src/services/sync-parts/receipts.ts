// /sync's receipts: one m.receipt event per room (of `roomIds`, the user's joined rooms)
// with the receipts changed after the since position, up to the token's position (since
// null: all of them). m.read.private receipts appear only for their own user.
import { receiptsBetween, type StoredReceipt } from '../../storage/receipts.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface ReceiptEvent {
  type: 'm.receipt';
  content: Record<string, Record<string, Record<string, { ts: number; thread_id?: string }>>>;
}

/** Receipts as m.receipt events, one per room. */
export function receiptEvents(receipts: readonly StoredReceipt[], viewerId: string): Map<string, ReceiptEvent> {
  const result = new Map<string, ReceiptEvent>();
  for (const r of receipts) {
    if (r.receiptType === 'm.read.private' && r.userId !== viewerId) continue;
    let event = result.get(r.roomId);
    if (!event) result.set(r.roomId, (event = { type: 'm.receipt', content: {} }));
    const byType = (event.content[r.eventId] ??= {});
    const byUser = (byType[r.receiptType] ??= {});
    byUser[r.userId] = { ts: r.ts, ...(r.threadId !== null ? { thread_id: r.threadId } : {}) };
  }
  return result;
}

export async function receiptsSince(
  tenant: TenantContext,
  viewerId: string,
  roomIds: readonly string[],
  since: number | null,
  upTo: number,
): Promise<Map<string, ReceiptEvent>> {
  // No rooms, or no receipt since the last sync: nothing to read.
  if (roomIds.length === 0 || (since !== null && since >= upTo)) return new Map();
  return receiptEvents(await receiptsBetween(tenant.db, roomIds, since, upTo), viewerId);
}
