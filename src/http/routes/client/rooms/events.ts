// Reading room events: GET /rooms/{roomId}/event/{eventId}, /messages, /context/{eventId}.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../../errors/matrix-error.ts';
import { parseRoomEventFilterParam, type RoomEventFilter } from '../../../../protocol/filters/index.ts';
import { getEventContext } from '../../../../services/rooms/get-context.ts';
import { getRoomEvent } from '../../../../services/rooms/get-event.ts';
import { getMessages } from '../../../../services/rooms/get-messages.ts';
import { requireSyncToken } from '../../../../services/sync/sync-token.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { queryParam, requiredQueryParam } from '../../../validation.ts';

/** A non-negative integer query parameter. */
export function integerParam(query: unknown, name: string): number | undefined {
  const text = queryParam(query, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new MatrixError('M_INVALID_PARAM', `${name} must be a non-negative integer`);
  return Number(text);
}

/** The `filter` parameter of /messages and /context: a RoomEventFilter as JSON. */
export function roomEventFilterParam(query: unknown): RoomEventFilter | undefined {
  const text = queryParam(query, 'filter');
  if (text === undefined || text === '') return undefined;
  const parsed = parseRoomEventFilterParam(text);
  if (!parsed.ok) throw new MatrixError(parsed.errcode, parsed.error);
  return parsed.filter;
}

export function roomEventRoutes(app: FastifyInstance): void {
  app.get<{ Params: { roomId: string; eventId: string } }>('/_matrix/client/v3/rooms/:roomId/event/:eventId', { config: { auth: 'required' } }, async (request) =>
    getRoomEvent(request.tenant, requesterOf(request), request.params.roomId, request.params.eventId),
  );

  app.get<{ Params: { roomId: string } }>('/_matrix/client/v3/rooms/:roomId/messages', { config: { auth: 'required' } }, async (request) => {
    const dir = requiredQueryParam(request.query, 'dir');
    if (dir !== 'b' && dir !== 'f') throw new MatrixError('M_INVALID_PARAM', 'dir must be "b" or "f"');
    const from = queryParam(request.query, 'from');
    const to = queryParam(request.query, 'to');
    return getMessages(request.tenant, requesterOf(request), request.params.roomId, {
      dir,
      ...(from !== undefined ? { from: { position: requireSyncToken(from, 'from').events, token: from } } : {}),
      ...(to !== undefined ? { to: requireSyncToken(to, 'to').events } : {}),
      limit: integerParam(request.query, 'limit'),
      filter: roomEventFilterParam(request.query),
    });
  });

  app.get<{ Params: { roomId: string; eventId: string } }>('/_matrix/client/v3/rooms/:roomId/context/:eventId', { config: { auth: 'required' } }, async (request) =>
    getEventContext(request.tenant, requesterOf(request), request.params.roomId, request.params.eventId, {
      limit: integerParam(request.query, 'limit'),
      filter: roomEventFilterParam(request.query),
    }),
  );
}
