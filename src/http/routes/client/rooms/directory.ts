// Room aliases: GET/PUT/DELETE /directory/room/{roomAlias}, GET /rooms/{roomId}/aliases.
import type { FastifyInstance } from 'fastify';
import { deleteAlias } from '../../../../services/rooms/delete-alias.ts';
import { listRoomAliases } from '../../../../services/rooms/list-room-aliases.ts';
import { resolveAlias } from '../../../../services/rooms/resolve-alias.ts';
import { setAlias } from '../../../../services/rooms/set-alias.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { objectBody, requiredString } from '../../../validation.ts';

type AliasParams = { Params: { roomAlias: string } };
const ALIAS = '/_matrix/client/v3/directory/room/:roomAlias';

export function directoryRoutes(app: FastifyInstance): void {
  app.get<AliasParams>(ALIAS, async (request) => resolveAlias(request.tenant, request.params.roomAlias));
  app.put<AliasParams>(ALIAS, { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    return setAlias(request.tenant, requesterOf(request).userId, request.params.roomAlias, requiredString(body, 'room_id'));
  });
  app.delete<AliasParams>(ALIAS, { config: { auth: 'required' } }, async (request) => deleteAlias(request.tenant, requesterOf(request), request.params.roomAlias));
  app.get<{ Params: { roomId: string } }>('/_matrix/client/v3/rooms/:roomId/aliases', { config: { auth: 'required' } }, async (request) =>
    listRoomAliases(request.tenant, requesterOf(request).userId, request.params.roomId),
  );
}
