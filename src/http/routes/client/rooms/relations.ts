// GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]] and
// GET /_matrix/client/v1/rooms/{roomId}/threads.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MatrixError } from '../../../../errors/matrix-error.ts';
import { getRelations } from '../../../../services/rooms/get-relations.ts';
import { listThreads } from '../../../../services/rooms/list-threads.ts';
import { requireSyncToken } from '../../../../services/sync/sync-token.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { queryParam } from '../../../validation.ts';

type RelationParams = { Params: { roomId: string; eventId: string; relType?: string; eventType?: string } };
const BASE = '/_matrix/client/v1/rooms/:roomId/relations/:eventId';

function handler(request: FastifyRequest<RelationParams>) {
  const dir = queryParam(request.query, 'dir') ?? 'b';
  if (dir !== 'b' && dir !== 'f') throw new MatrixError('M_INVALID_PARAM', 'dir must be "b" or "f"');
  const limitText = queryParam(request.query, 'limit');
  if (limitText !== undefined && !/^\d{1,9}$/.test(limitText)) throw new MatrixError('M_INVALID_PARAM', 'limit must be a non-negative integer');
  const from = queryParam(request.query, 'from');
  const to = queryParam(request.query, 'to');
  return getRelations(request.tenant, requesterOf(request), request.params.roomId, request.params.eventId, {
    relType: request.params.relType,
    eventType: request.params.eventType,
    dir,
    ...(limitText !== undefined ? { limit: Number(limitText) } : {}),
    ...(from !== undefined ? { from: requireSyncToken(from, 'from').events } : {}),
    ...(to !== undefined ? { to: requireSyncToken(to, 'to').events } : {}),
  });
}

export function relationRoutes(app: FastifyInstance): void {
  const auth = { config: { auth: 'required' as const } };
  app.get<RelationParams>(BASE, auth, handler);
  app.get<RelationParams>(`${BASE}/:relType`, auth, handler);
  app.get<RelationParams>(`${BASE}/:relType/:eventType`, auth, handler);
  app.get<{ Params: { roomId: string } }>('/_matrix/client/v1/rooms/:roomId/threads', auth, async (request) => {
    const include = queryParam(request.query, 'include') ?? 'all';
    if (include !== 'all' && include !== 'participated') throw new MatrixError('M_INVALID_PARAM', 'include must be "all" or "participated"');
    const limitText = queryParam(request.query, 'limit');
    if (limitText !== undefined && !/^\d{1,9}$/.test(limitText)) throw new MatrixError('M_INVALID_PARAM', 'limit must be an integer greater than zero');
    return listThreads(request.tenant, requesterOf(request), request.params.roomId, {
      include,
      ...(limitText !== undefined ? { limit: Number(limitText) } : {}),
      ...(queryParam(request.query, 'from') !== undefined ? { from: queryParam(request.query, 'from') } : {}),
    });
  });
}
