// PUT /rooms/{roomId}/send/{eventType}/{txnId}: a message event. The transaction ID makes
// the request idempotent per device. m.room.redaction may be sent here in every room
// version (spec v1.18): its content.redacts names the target.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getEventByTxn } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from './client-event.ts';
import { createLocalEvent } from './create-local-event.ts';
import type { EventDraft, TxnKey } from './event-draft.ts';
import { requireRoomIdSyntax } from './membership-event.ts';
import { markUserActive } from '../presence/mark-user-active.ts';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}

/** Sends through the local send path; a concurrent duplicate of the same transaction (the
 * unique index refused the second insert) answers with the first event. */
export async function sendWithTxn(tenant: TenantContext, roomId: string, draft: EventDraft, txn: TxnKey): Promise<{ event_id: string }> {
  try {
    const created = await createLocalEvent(tenant, roomId, draft, txn);
    return { event_id: created.eventId };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const earlier = await getEventByTxn(tenant.db, txn);
    if (!earlier) throw error;
    return { event_id: earlier.eventId };
  }
}

export async function sendMessage(
  tenant: TenantContext,
  requester: Viewer,
  roomId: string,
  eventType: string,
  txnId: string,
  content: Record<string, unknown>,
): Promise<{ event_id: string }> {
  requireRoomIdSyntax(roomId);
  const draft: EventDraft = { type: eventType, sender: requester.userId, content };
  if (eventType === 'm.room.redaction') {
    if (typeof content.redacts !== 'string' || !content.redacts.startsWith('$')) {
      throw new MatrixError('M_BAD_JSON', 'An m.room.redaction needs content.redacts: the ID of the event to redact');
    }
    const { redacts, ...rest } = content;
    draft.content = rest;
    draft.redacts = redacts;
  }
  const sent = await sendWithTxn(tenant, roomId, draft, { userId: requester.userId, deviceId: requester.deviceId, txnId });
  // Sending is activity (presence: online, last_active_ago restarts).
  await markUserActive(tenant, requester.userId);
  return sent;
}
