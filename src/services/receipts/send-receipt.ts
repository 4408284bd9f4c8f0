// POST /rooms/{roomId}/receipt/{receiptType}/{eventId}: m.read, m.read.private (optionally
// threaded), or m.fully_read (the fully read marker, as /read_markers; no thread_id).
// Receipts count as activity for presence.
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { markUserActive } from '../presence/mark-user-active.ts';
import { putReceipt } from './put-receipt.ts';
import { FULLY_READ, RECEIPT_TYPES, requireJoinedForReceipts, requireRoomEvent, type ReceiptType } from './receipt-target.ts';
import { setFullyRead } from './set-fully-read.ts';
import { requireEventInThread, threadIdOf } from './thread-of.ts';

export async function sendReceipt(
  tenant: TenantContext,
  userId: string,
  target: { roomId: string; receiptType: string; eventId: string },
  body: Record<string, unknown>,
): Promise<Record<string, never>> {
  const { roomId, receiptType, eventId } = target;
  if (receiptType !== FULLY_READ && !(RECEIPT_TYPES as readonly string[]).includes(receiptType)) {
    throw new MatrixError('M_INVALID_PARAM', `Receipt type must be one of ${[...RECEIPT_TYPES, FULLY_READ].join(', ')}`);
  }
  const threadId = threadIdOf(body);
  if (receiptType === FULLY_READ && threadId !== undefined) throw new MatrixError('M_INVALID_PARAM', 'thread_id cannot be given for m.fully_read');
  await requireJoinedForReceipts(tenant, userId, roomId);
  const event = await requireRoomEvent(tenant, roomId, eventId);
  if (receiptType === FULLY_READ) {
    await setFullyRead(tenant, userId, event);
  } else {
    if (threadId !== undefined) await requireEventInThread(tenant, event, threadId);
    await putReceipt(tenant, userId, receiptType as ReceiptType, event, threadId);
  }
  await markUserActive(tenant, userId);
  return {};
}
