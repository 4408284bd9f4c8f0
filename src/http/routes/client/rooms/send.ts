// PUT /rooms/{roomId}/send/{eventType}/{txnId} and PUT /rooms/{roomId}/redact/{eventId}/{txnId}.
import type { FastifyInstance } from 'fastify';
import { redactEvent } from '../../../../services/rooms/redact-event.ts';
import { sendMessage } from '../../../../services/rooms/send-message.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { objectBody, optionalString } from '../../../validation.ts';

export function sendRoutes(app: FastifyInstance): void {
  app.put<{ Params: { roomId: string; eventType: string; txnId: string } }>(
    '/_matrix/client/v3/rooms/:roomId/send/:eventType/:txnId',
    { config: { auth: 'required' } },
    async (request) => {
      const { roomId, eventType, txnId } = request.params;
      return sendMessage(request.tenant, requesterOf(request), roomId, eventType, txnId, objectBody(request.body));
    },
  );
  app.put<{ Params: { roomId: string; eventId: string; txnId: string } }>(
    '/_matrix/client/v3/rooms/:roomId/redact/:eventId/:txnId',
    { config: { auth: 'required' } },
    async (request) => {
      const { roomId, eventId, txnId } = request.params;
      const body = objectBody(request.body, { optional: true });
      return redactEvent(request.tenant, requesterOf(request), roomId, eventId, txnId, optionalString(body, 'reason'));
    },
  );
}
