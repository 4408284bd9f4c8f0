// PUT /rooms/{roomId}/redact/{eventId}/{txnId}: an m.room.redaction of one event. The send
// path checks the sender may redact it and marks the stored event redacted in the same
// transaction; clients are then served its redacted form with unsigned.redacted_because.
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from './client-event.ts';
import { requireRoomIdSyntax } from './membership-event.ts';
import { sendWithTxn } from './send-message.ts';

export async function redactEvent(
  tenant: TenantContext,
  requester: Viewer,
  roomId: string,
  eventId: string,
  txnId: string,
  reason: string | undefined,
): Promise<{ event_id: string }> {
  requireRoomIdSyntax(roomId);
  if (!eventId.startsWith('$')) throw new MatrixError('M_INVALID_PARAM', `${eventId} is not an event ID`);
  return sendWithTxn(
    tenant,
    roomId,
    { type: 'm.room.redaction', sender: requester.userId, content: reason !== undefined ? { reason } : {}, redacts: eventId },
    { userId: requester.userId, deviceId: requester.deviceId, txnId },
  );
}
