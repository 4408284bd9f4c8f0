// PUT /sendToDevice/{eventType}/{txnId}: send-to-device messaging (services/to-device).
import type { FastifyInstance } from 'fastify';
import { sendToDevice } from '../../../services/to-device/send-to-device.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody } from '../../validation.ts';

export function sendToDeviceRoutes(app: FastifyInstance): void {
  app.put<{ Params: { eventType: string; txnId: string } }>('/_matrix/client/v3/sendToDevice/:eventType/:txnId', { config: { auth: 'required' } }, async (request) =>
    sendToDevice(request.tenant, requesterOf(request), request.params, objectBody(request.body)),
  );
}
