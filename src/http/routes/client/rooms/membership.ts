// Membership: POST /rooms/{roomId}/join, /join/{roomIdOrAlias}, /knock/{roomIdOrAlias},
// /rooms/{roomId}/invite, /leave, /forget, /kick, /ban, /unban, /upgrade.
import type { FastifyInstance } from 'fastify';
import { banUser } from '../../../../services/rooms/ban-user.ts';
import { forgetRoom } from '../../../../services/rooms/forget-room.ts';
import { inviteUser } from '../../../../services/rooms/invite-user.ts';
import { joinRoom } from '../../../../services/rooms/join-room.ts';
import { kickUser } from '../../../../services/rooms/kick-user.ts';
import { knockRoom } from '../../../../services/rooms/knock-room.ts';
import { leaveRoom } from '../../../../services/rooms/leave-room.ts';
import { requireRoomIdSyntax } from '../../../../services/rooms/membership-event.ts';
import { unbanUser } from '../../../../services/rooms/unban-user.ts';
import { parseUpgradeRequest, upgradeRoom } from '../../../../services/rooms/upgrade-room.ts';
import { requesterOf } from '../../../plugins/client-auth.ts';
import { objectBody, optionalString, requiredString } from '../../../validation.ts';

type RoomParams = { Params: { roomId: string } };
const ROOMS = '/_matrix/client/v3/rooms/:roomId';

export function membershipRoutes(app: FastifyInstance): void {
  const auth = { config: { auth: 'required' as const } };

  app.post<RoomParams>(`${ROOMS}/join`, auth, async (request) => {
    const body = objectBody(request.body, { optional: true });
    requireRoomIdSyntax(request.params.roomId);
    return joinRoom(request.tenant, requesterOf(request).userId, request.params.roomId, { reason: optionalString(body, 'reason') });
  });
  app.post<{ Params: { roomIdOrAlias: string } }>('/_matrix/client/v3/join/:roomIdOrAlias', auth, async (request) => {
    const body = objectBody(request.body, { optional: true });
    return joinRoom(request.tenant, requesterOf(request).userId, request.params.roomIdOrAlias, { reason: optionalString(body, 'reason') });
  });
  app.post<{ Params: { roomIdOrAlias: string } }>('/_matrix/client/v3/knock/:roomIdOrAlias', auth, async (request) => {
    const body = objectBody(request.body, { optional: true });
    return knockRoom(request.tenant, requesterOf(request).userId, request.params.roomIdOrAlias, { reason: optionalString(body, 'reason') });
  });
  app.post<RoomParams>(`${ROOMS}/upgrade`, auth, async (request) => {
    requireRoomIdSyntax(request.params.roomId);
    return upgradeRoom(request.tenant, requesterOf(request).userId, request.params.roomId, parseUpgradeRequest(request.body));
  });
  app.post<RoomParams>(`${ROOMS}/invite`, auth, async (request) => {
    const body = objectBody(request.body);
    return inviteUser(request.tenant, requesterOf(request).userId, request.params.roomId, requiredString(body, 'user_id'), optionalString(body, 'reason'));
  });
  app.post<RoomParams>(`${ROOMS}/leave`, auth, async (request) => {
    const body = objectBody(request.body, { optional: true });
    return leaveRoom(request.tenant, requesterOf(request).userId, request.params.roomId, optionalString(body, 'reason'));
  });
  app.post<RoomParams>(`${ROOMS}/forget`, auth, async (request) => {
    objectBody(request.body, { optional: true });
    return forgetRoom(request.tenant, requesterOf(request).userId, request.params.roomId);
  });
  const targeted = [
    ['kick', kickUser],
    ['ban', banUser],
    ['unban', unbanUser],
  ] as const;
  for (const [action, operation] of targeted) {
    app.post<RoomParams>(`${ROOMS}/${action}`, auth, async (request) => {
      const body = objectBody(request.body);
      return operation(request.tenant, requesterOf(request).userId, request.params.roomId, requiredString(body, 'user_id'), optionalString(body, 'reason'));
    });
  }
}
