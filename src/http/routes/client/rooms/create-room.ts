// POST /createRoom.
import type { FastifyInstance } from 'fastify';
import { createRoom } from '../../../../services/rooms/create-room.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';

export function createRoomRoutes(app: FastifyInstance): void {
  app.post('/_matrix/client/v3/createRoom', { config: { auth: 'required' } }, async (request) => {
    // An absent body is an empty request; anything else is validated by the service.
    const body = request.body === undefined ? {} : request.body;
    const created = await createRoom(request.tenant, requesterOf(request).userId, body);
    return { room_id: created.room_id };
  });
}
