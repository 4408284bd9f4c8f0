// The published room directory: GET/POST /publicRooms, GET/PUT /directory/list/room/{roomId}.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MatrixError } from '../../../../errors/matrix-error.ts';
import { getDirectoryVisibility, setDirectoryVisibility } from '../../../../services/rooms/directory-visibility.ts';
import { publicRooms, type PublicRoomsQuery } from '../../../../services/rooms/public-rooms.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { objectBody, optionalString, queryParam } from '../../../validation.ts';

const CS = '/_matrix/client/v3';

function parseLimit(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0) {
    throw new MatrixError(typeof value === 'string' ? 'M_INVALID_PARAM' : 'M_BAD_JSON', `${name} must be a non-negative integer`);
  }
  return number;
}

/** Only this tenant's own directory exists until federation does. */
function requireLocalDirectory(request: FastifyRequest): void {
  const server = queryParam(request.query, 'server');
  if (server !== undefined && server !== request.tenant.serverName) {
    throw new MatrixError('M_NOT_FOUND', `The room directory of ${server} cannot be reached from this server yet`);
  }
}

function parseFilter(body: Record<string, unknown>): Pick<PublicRoomsQuery, 'searchTerm' | 'roomTypes'> {
  const filter = body.filter;
  if (filter === undefined || filter === null) return {};
  if (typeof filter !== 'object' || Array.isArray(filter)) throw new MatrixError('M_BAD_JSON', 'filter must be an object');
  const f = filter as Record<string, unknown>;
  const searchTerm = optionalString(f, 'generic_search_term', { maxLength: 1000 });
  let roomTypes: Array<string | null> | undefined;
  if (f.room_types !== undefined) {
    if (!Array.isArray(f.room_types) || !f.room_types.every((t) => t === null || typeof t === 'string')) {
      throw new MatrixError('M_BAD_JSON', 'filter.room_types must be a list of strings and null');
    }
    roomTypes = f.room_types as Array<string | null>;
  }
  return { searchTerm, roomTypes };
}

export function publicRoomRoutes(app: FastifyInstance): void {
  app.get(`${CS}/publicRooms`, { config: { auth: 'optional' } }, async (request) => {
    requireLocalDirectory(request);
    return publicRooms(request.tenant, { limit: parseLimit(queryParam(request.query, 'limit'), 'limit'), since: queryParam(request.query, 'since') });
  });
  app.post(`${CS}/publicRooms`, { config: { auth: 'required' } }, async (request) => {
    requireLocalDirectory(request);
    const body = objectBody(request.body);
    const since = optionalString(body, 'since');
    return publicRooms(request.tenant, { limit: parseLimit(body.limit, 'limit'), since, ...parseFilter(body) });
  });
  app.get<{ Params: { roomId: string } }>(`${CS}/directory/list/room/:roomId`, async (request) => getDirectoryVisibility(request.tenant, request.params.roomId));
  app.put<{ Params: { roomId: string } }>(`${CS}/directory/list/room/:roomId`, { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const visibility = body.visibility ?? 'public';
    if (visibility !== 'public' && visibility !== 'private') throw new MatrixError('M_INVALID_PARAM', 'visibility must be "public" or "private"');
    return setDirectoryVisibility(request.tenant, requesterOf(request), request.params.roomId, visibility);
  });
}
