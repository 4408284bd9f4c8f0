// Room state: PUT and GET /rooms/{roomId}/state/{eventType}/{stateKey} (the state key may be
// empty, with or without the trailing slash) and GET /rooms/{roomId}/state.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MatrixError } from '../../../../errors/matrix-error.ts';
import { getRoomState, getStateEvent } from '../../../../services/rooms/get-room-state.ts';
import { sendStateEvent } from '../../../../services/rooms/send-state.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { objectBody, queryParam } from '../../../validation.ts';

type StateParams = { roomId: string; eventType: string; stateKey?: string };

const PATHS = ['/_matrix/client/v3/rooms/:roomId/state/:eventType', '/_matrix/client/v3/rooms/:roomId/state/:eventType/', '/_matrix/client/v3/rooms/:roomId/state/:eventType/:stateKey'];

function formatOf(request: FastifyRequest): 'content' | 'event' {
  const format = queryParam(request.query, 'format') ?? 'content';
  if (format !== 'content' && format !== 'event') throw new MatrixError('M_INVALID_PARAM', 'format must be "content" or "event"');
  return format;
}

export function stateRoutes(app: FastifyInstance): void {
  for (const path of PATHS) {
    app.put<{ Params: StateParams }>(path, { config: { auth: 'required' } }, async (request) => {
      const { roomId, eventType, stateKey = '' } = request.params;
      return sendStateEvent(request.tenant, requesterOf(request).userId, roomId, eventType, stateKey, objectBody(request.body));
    });
    app.get<{ Params: StateParams }>(path, { config: { auth: 'required' } }, async (request) => {
      const { roomId, eventType, stateKey = '' } = request.params;
      return getStateEvent(request.tenant, requesterOf(request), roomId, eventType, stateKey, formatOf(request));
    });
  }
  app.get<{ Params: { roomId: string } }>('/_matrix/client/v3/rooms/:roomId/state', { config: { auth: 'required' } }, async (request) =>
    getRoomState(request.tenant, requesterOf(request), request.params.roomId),
  );
}
