// Receipts and read markers: POST /rooms/{roomId}/receipt/{receiptType}/{eventId}, POST
// /rooms/{roomId}/read_markers.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { sendReceipt } from '../../../services/receipts/send-receipt.ts';
import { setReadMarkers } from '../../../services/receipts/set-read-markers.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, type JsonObject } from '../../validation.ts';

function optionalEventId(body: JsonObject, name: string): string | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new MatrixError('M_BAD_JSON', `${name} must be an event ID`);
  return value;
}

export function receiptRoutes(app: FastifyInstance): void {
  app.post<{ Params: { roomId: string; receiptType: string; eventId: string } }>(
    '/_matrix/client/v3/rooms/:roomId/receipt/:receiptType/:eventId',
    { config: { auth: 'required' } },
    // Clients of older spec versions send no body at all.
    async (request) => sendReceipt(request.tenant, requesterOf(request).userId, request.params, objectBody(request.body, { optional: true })),
  );
  app.post<{ Params: { roomId: string } }>('/_matrix/client/v3/rooms/:roomId/read_markers', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const fullyRead = optionalEventId(body, 'm.fully_read');
    const read = optionalEventId(body, 'm.read');
    const readPrivate = optionalEventId(body, 'm.read.private');
    return setReadMarkers(request.tenant, requesterOf(request).userId, request.params.roomId, {
      ...(fullyRead !== undefined ? { fullyRead } : {}),
      ...(read !== undefined ? { read } : {}),
      ...(readPrivate !== undefined ? { readPrivate } : {}),
    });
  });
}
