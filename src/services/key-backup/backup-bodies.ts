// Validation of the key backup request bodies (key_backup.yaml). Shapes, types and integer
// ranges are checked here, so everything a service receives can be stored as given.
import { MatrixError } from '../../errors/matrix-error.ts';
import { parseRoomId } from '../../protocol/ids.ts';
import type { BackedUpSession } from '../../storage/key-backup.ts';
import { requireStorableJson, requireStorableString } from '../validation/storable-json.ts';

/** The algorithms the spec defines for backups (the request schemas enumerate them). */
export const BACKUP_ALGORITHMS: readonly string[] = ['m.megolm_backup.v1.curve25519-aes-sha2'];

/** Most sessions one PUT may carry. matrix-js-sdk (Rust crypto) uploads 100 per request;
 * with the 1 MiB default body limit about 1 000 real sessions fit anyway. */
export const MAX_SESSIONS_PER_REQUEST = 1_000;

/** Longest session ID accepted (megolm session IDs are 43 characters). */
export const MAX_SESSION_ID_LENGTH = 255;

export interface BackupConfiguration {
  algorithm: string;
  authData: Record<string, unknown>;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requiredField(container: JsonObject, name: string, path: string): unknown {
  const value = container[name];
  if (value === undefined) throw new MatrixError('M_MISSING_PARAM', `${path} is required`);
  return value;
}

function objectField(container: JsonObject, name: string, path: string): JsonObject {
  const value = requiredField(container, name, path);
  if (!isObject(value)) throw new MatrixError('M_BAD_JSON', `${path} must be an object`);
  return value;
}

function countField(container: JsonObject, name: string, path: string): number {
  const value = requiredField(container, name, path);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new MatrixError('M_BAD_JSON', `${path} must be an integer`);
  if (value < 0 || !Number.isSafeInteger(value)) throw new MatrixError('M_INVALID_PARAM', `${path} must be a non-negative integer`);
  return value;
}

/** The algorithm and auth_data of a backup (POST and PUT /room_keys/version). */
export function parseBackupConfiguration(body: JsonObject): BackupConfiguration {
  const algorithm = requiredField(body, 'algorithm', 'algorithm');
  if (typeof algorithm !== 'string') throw new MatrixError('M_BAD_JSON', 'algorithm must be a string');
  if (!BACKUP_ALGORITHMS.includes(algorithm)) throw new MatrixError('M_INVALID_PARAM', `Unsupported backup algorithm ${algorithm}`);
  const authData = objectField(body, 'auth_data', 'auth_data');
  requireStorableJson(authData, 'auth_data');
  // m.megolm_backup.v1.curve25519-aes-sha2 (the only algorithm): AuthData requires public_key.
  const publicKey = requiredField(authData, 'public_key', 'auth_data.public_key');
  if (typeof publicKey !== 'string') throw new MatrixError('M_BAD_JSON', 'auth_data.public_key must be a string');
  if (authData.signatures !== undefined && !isObject(authData.signatures)) throw new MatrixError('M_BAD_JSON', 'auth_data.signatures must be an object');
  return { algorithm, authData };
}

/** A room ID naming backed-up keys (path or body): 400 M_INVALID_PARAM unless well-formed. */
export function requireBackupRoomId(roomId: string): void {
  if (!parseRoomId(roomId) || Buffer.byteLength(roomId) > 255) throw new MatrixError('M_INVALID_PARAM', `${roomId} is not a valid room ID`);
  requireStorableString(roomId, 'The room ID', 'M_INVALID_PARAM');
}

export function requireBackupSessionId(sessionId: string): void {
  if (sessionId.length === 0 || sessionId.length > MAX_SESSION_ID_LENGTH) {
    throw new MatrixError('M_INVALID_PARAM', `Session IDs must have 1 to ${MAX_SESSION_ID_LENGTH} characters`);
  }
  requireStorableString(sessionId, 'The session ID', 'M_INVALID_PARAM');
}

/** One KeyBackupData object (the body of PUT /room_keys/keys/{roomId}/{sessionId}). */
export function parseKeyBackupData(roomId: string, sessionId: string, value: unknown, path = 'The request body'): BackedUpSession {
  if (!isObject(value)) throw new MatrixError('M_BAD_JSON', `${path} must be an object`);
  const firstMessageIndex = countField(value, 'first_message_index', `${path}.first_message_index`);
  const forwardedCount = countField(value, 'forwarded_count', `${path}.forwarded_count`);
  const isVerified = requiredField(value, 'is_verified', `${path}.is_verified`);
  if (typeof isVerified !== 'boolean') throw new MatrixError('M_BAD_JSON', `${path}.is_verified must be true or false`);
  const sessionData = objectField(value, 'session_data', `${path}.session_data`);
  requireStorableJson(sessionData, `${path}.session_data`);
  return { roomId, sessionId, firstMessageIndex, forwardedCount, isVerified, sessionData };
}

/** A RoomKeyBackup object ({sessions}) of one room, appended to `into` (bounded). */
function parseRoomKeyBackup(roomId: string, value: unknown, path: string, into: BackedUpSession[]): void {
  if (!isObject(value)) throw new MatrixError('M_BAD_JSON', `${path} must be an object`);
  const sessions = objectField(value, 'sessions', `${path}.sessions`);
  for (const [sessionId, data] of Object.entries(sessions)) {
    if (into.length >= MAX_SESSIONS_PER_REQUEST) {
      throw new MatrixError('M_INVALID_PARAM', `At most ${MAX_SESSIONS_PER_REQUEST} sessions may be uploaded in one request`);
    }
    requireBackupSessionId(sessionId);
    into.push(parseKeyBackupData(roomId, sessionId, data, `${path}.sessions[${JSON.stringify(sessionId)}]`));
  }
}

/** The body of PUT /room_keys/keys/{roomId}. */
export function parseRoomSessionsBody(roomId: string, body: JsonObject): BackedUpSession[] {
  const sessions: BackedUpSession[] = [];
  parseRoomKeyBackup(roomId, body, 'The request body', sessions);
  return sessions;
}

/** The body of PUT /room_keys/keys ({rooms}). */
export function parseRoomsBody(body: JsonObject): BackedUpSession[] {
  const rooms = objectField(body, 'rooms', 'rooms');
  const sessions: BackedUpSession[] = [];
  for (const [roomId, room] of Object.entries(rooms)) {
    requireBackupRoomId(roomId);
    parseRoomKeyBackup(roomId, room, `rooms[${JSON.stringify(roomId)}]`, sessions);
  }
  return sessions;
}
