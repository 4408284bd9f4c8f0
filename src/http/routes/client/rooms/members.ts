// GET /rooms/{roomId}/members, GET /rooms/{roomId}/joined_members, GET /joined_rooms.
import type { FastifyInstance } from 'fastify';
import { getJoinedMembers } from '../../../../services/rooms/get-joined-members.ts';
import { getMembers } from '../../../../services/rooms/get-members.ts';
import { joinedRooms } from '../../../../services/rooms/joined-rooms.ts';
import { requireSyncToken } from '../../../../services/sync/sync-token.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { queryParam } from '../../../validation.ts';

export function memberRoutes(app: FastifyInstance): void {
  app.get<{ Params: { roomId: string } }>('/_matrix/client/v3/rooms/:roomId/members', { config: { auth: 'required' } }, async (request) => {
    const at = queryParam(request.query, 'at');
    return getMembers(request.tenant, requesterOf(request), request.params.roomId, {
      ...(at !== undefined ? { at: requireSyncToken(at, 'at').events } : {}),
      membership: queryParam(request.query, 'membership'),
      notMembership: queryParam(request.query, 'not_membership'),
    });
  });
  app.get<{ Params: { roomId: string } }>('/_matrix/client/v3/rooms/:roomId/joined_members', { config: { auth: 'required' } }, async (request) =>
    getJoinedMembers(request.tenant, requesterOf(request).userId, request.params.roomId),
  );
  app.get('/_matrix/client/v3/joined_rooms', { config: { auth: 'required' } }, async (request) => joinedRooms(request.tenant, requesterOf(request).userId));
}
