// Account data and room tags: GET/PUT /user/{userId}/account_data/{type}, GET/PUT
// /user/{userId}/rooms/{roomId}/account_data/{type}, GET /user/{userId}/rooms/{roomId}/tags,
// PUT/DELETE /user/{userId}/rooms/{roomId}/tags/{tag}.
import type { FastifyInstance } from 'fastify';
import { getAccountDataContent } from '../../../services/account-data/get-account-data.ts';
import { deleteRoomTag } from '../../../services/account-data/delete-tag.ts';
import { getRoomTags } from '../../../services/account-data/get-tags.ts';
import { setAccountData } from '../../../services/account-data/set-account-data.ts';
import { setRoomTag } from '../../../services/account-data/set-tag.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody } from '../../validation.ts';

interface GlobalParams {
  userId: string;
  type: string;
}
interface RoomParams extends GlobalParams {
  roomId: string;
}
interface TagParams {
  userId: string;
  roomId: string;
  tag: string;
}

const USER = '/_matrix/client/v3/user/:userId';
const auth = { config: { auth: 'required' as const } };

export function accountDataRoutes(app: FastifyInstance): void {
  app.get<{ Params: GlobalParams }>(`${USER}/account_data/:type`, auth, async (request) =>
    getAccountDataContent(request.tenant, requesterOf(request).userId, { userId: request.params.userId, roomId: null, type: request.params.type }),
  );
  app.put<{ Params: GlobalParams }>(`${USER}/account_data/:type`, auth, async (request) =>
    setAccountData(request.tenant, requesterOf(request).userId, { userId: request.params.userId, roomId: null, type: request.params.type }, objectBody(request.body)),
  );
  app.get<{ Params: RoomParams }>(`${USER}/rooms/:roomId/account_data/:type`, auth, async (request) => {
    const { userId, roomId, type } = request.params;
    return getAccountDataContent(request.tenant, requesterOf(request).userId, { userId, roomId, type });
  });
  app.put<{ Params: RoomParams }>(`${USER}/rooms/:roomId/account_data/:type`, auth, async (request) => {
    const { userId, roomId, type } = request.params;
    return setAccountData(request.tenant, requesterOf(request).userId, { userId, roomId, type }, objectBody(request.body));
  });

  app.get<{ Params: { userId: string; roomId: string } }>(`${USER}/rooms/:roomId/tags`, auth, async (request) =>
    getRoomTags(request.tenant, requesterOf(request).userId, request.params.userId, request.params.roomId),
  );
  app.put<{ Params: TagParams }>(`${USER}/rooms/:roomId/tags/:tag`, auth, async (request) =>
    setRoomTag(request.tenant, requesterOf(request).userId, request.params, objectBody(request.body)),
  );
  app.delete<{ Params: TagParams }>(`${USER}/rooms/:roomId/tags/:tag`, auth, async (request) =>
    deleteRoomTag(request.tenant, requesterOf(request).userId, request.params),
  );
}
