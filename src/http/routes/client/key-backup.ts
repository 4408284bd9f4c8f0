// Server-side key backups: /room_keys/version[/{version}] and
// /room_keys/keys[/{roomId}[/{sessionId}]] (key_backup.yaml). Only the requester's own
// backups are ever read or written.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import {
  parseBackupConfiguration,
  parseKeyBackupData,
  parseRoomSessionsBody,
  parseRoomsBody,
  requireBackupRoomId,
  requireBackupSessionId,
} from '../../../services/key-backup/backup-bodies.ts';
import { createBackupVersion } from '../../../services/key-backup/create-version.ts';
import { deleteRoomKeys } from '../../../services/key-backup/delete-keys.ts';
import { deleteBackupVersion } from '../../../services/key-backup/delete-version.ts';
import { getAllRoomKeys, getRoomKey, getRoomKeysOfRoom } from '../../../services/key-backup/get-keys.ts';
import { getBackupVersion, getCurrentBackupVersion } from '../../../services/key-backup/get-version.ts';
import { putRoomKeys } from '../../../services/key-backup/put-keys.ts';
import { updateBackupVersion } from '../../../services/key-backup/update-version.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, requiredQueryParam } from '../../validation.ts';

const BASE = '/_matrix/client/v3/room_keys';
const AUTH = { config: { auth: 'required' as const } };

interface VersionParams {
  version: string;
}
interface RoomParams {
  roomId: string;
}
interface SessionParams extends RoomParams {
  sessionId: string;
}

function bodyVersion(body: Record<string, unknown>): string | undefined {
  const version = body.version;
  if (version === undefined) return undefined;
  if (typeof version !== 'string') throw new MatrixError('M_BAD_JSON', 'version must be a string');
  return version;
}

export function keyBackupRoutes(app: FastifyInstance): void {
  app.post(`${BASE}/version`, AUTH, async (request) =>
    createBackupVersion(request.tenant, requesterOf(request).userId, parseBackupConfiguration(objectBody(request.body))),
  );

  app.get(`${BASE}/version`, AUTH, async (request) => getCurrentBackupVersion(request.tenant, requesterOf(request).userId));

  app.get<{ Params: VersionParams }>(`${BASE}/version/:version`, AUTH, async (request) =>
    getBackupVersion(request.tenant, requesterOf(request).userId, request.params.version),
  );

  app.put<{ Params: VersionParams }>(`${BASE}/version/:version`, AUTH, async (request) => {
    const body = objectBody(request.body);
    const update = { ...parseBackupConfiguration(body), version: bodyVersion(body) };
    return updateBackupVersion(request.tenant, requesterOf(request).userId, request.params.version, update);
  });

  app.delete<{ Params: VersionParams }>(`${BASE}/version/:version`, AUTH, async (request) =>
    deleteBackupVersion(request.tenant, requesterOf(request).userId, request.params.version),
  );

  // Keys of the whole backup.
  app.put(`${BASE}/keys`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    const sessions = parseRoomsBody(objectBody(request.body));
    return putRoomKeys(request.tenant, requesterOf(request).userId, version, sessions);
  });
  app.get(`${BASE}/keys`, AUTH, async (request) =>
    getAllRoomKeys(request.tenant, requesterOf(request).userId, requiredQueryParam(request.query, 'version')),
  );
  app.delete(`${BASE}/keys`, AUTH, async (request) =>
    deleteRoomKeys(request.tenant, requesterOf(request).userId, requiredQueryParam(request.query, 'version'), {}),
  );

  // Keys of one room.
  app.put<{ Params: RoomParams }>(`${BASE}/keys/:roomId`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    requireBackupRoomId(request.params.roomId);
    const sessions = parseRoomSessionsBody(request.params.roomId, objectBody(request.body));
    return putRoomKeys(request.tenant, requesterOf(request).userId, version, sessions);
  });
  app.get<{ Params: RoomParams }>(`${BASE}/keys/:roomId`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    requireBackupRoomId(request.params.roomId);
    return getRoomKeysOfRoom(request.tenant, requesterOf(request).userId, version, request.params.roomId);
  });
  app.delete<{ Params: RoomParams }>(`${BASE}/keys/:roomId`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    requireBackupRoomId(request.params.roomId);
    return deleteRoomKeys(request.tenant, requesterOf(request).userId, version, { roomId: request.params.roomId });
  });

  // One session.
  app.put<{ Params: SessionParams }>(`${BASE}/keys/:roomId/:sessionId`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    const { roomId, sessionId } = request.params;
    requireBackupRoomId(roomId);
    requireBackupSessionId(sessionId);
    const session = parseKeyBackupData(roomId, sessionId, objectBody(request.body));
    return putRoomKeys(request.tenant, requesterOf(request).userId, version, [session]);
  });
  app.get<{ Params: SessionParams }>(`${BASE}/keys/:roomId/:sessionId`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    const { roomId, sessionId } = request.params;
    requireBackupRoomId(roomId);
    requireBackupSessionId(sessionId);
    return getRoomKey(request.tenant, requesterOf(request).userId, version, roomId, sessionId);
  });
  app.delete<{ Params: SessionParams }>(`${BASE}/keys/:roomId/:sessionId`, AUTH, async (request) => {
    const version = requiredQueryParam(request.query, 'version');
    const { roomId, sessionId } = request.params;
    requireBackupRoomId(roomId);
    requireBackupSessionId(sessionId);
    return deleteRoomKeys(request.tenant, requesterOf(request).userId, version, { roomId, sessionId });
  });
}
