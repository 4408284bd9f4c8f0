// End-to-end encryption keys: POST /keys/upload, /keys/query, /keys/claim, GET /keys/changes,
// POST /keys/device_signing/upload (cross-signing keys, user-interactive auth) and
// /keys/signatures/upload. Bodies are checked here; the services hold the rules.
import type { FastifyInstance } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { isJsonObject, type JsonRecord } from '../../../protocol/json-object.ts';
import { claimKeys } from '../../../services/keys/claim-keys.ts';
import { deviceListUpdates } from '../../../services/keys/device-list-updates.ts';
import {
  MAX_CLAIMED_DEVICES,
  MAX_FALLBACK_KEYS_PER_UPLOAD,
  MAX_ONE_TIME_KEYS_PER_UPLOAD,
  MAX_QUERIED_DEVICES_PER_USER,
  MAX_QUERIED_USERS,
  MAX_SIGNED_OBJECTS,
} from '../../../services/keys/key-limits.ts';
import { deviceKeysShape, keyMap, optionalObject } from '../../../services/keys/key-validation.ts';
import { queryKeys } from '../../../services/keys/query-keys.ts';
import { uploadCrossSigningKeys } from '../../../services/keys/upload-cross-signing.ts';
import { uploadKeys } from '../../../services/keys/upload-keys.ts';
import { uploadSignatures } from '../../../services/keys/upload-signatures.ts';
import { requireSyncToken } from '../../../services/sync/sync-token.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, requiredQueryParam } from '../../validation.ts';
import { accountDeps } from './account-deps.ts';

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_TIMEOUT_MS = 60_000;

/** `timeout` (milliseconds to wait for other servers), capped. */
function timeoutOf(body: JsonRecord): number {
  const value = body.timeout;
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new MatrixError('M_BAD_JSON', 'timeout must be an integer');
  return Math.min(Math.max(0, value), MAX_TIMEOUT_MS);
}

function requiredObject(body: JsonRecord, name: string): JsonRecord {
  const value = optionalObject(body, name);
  if (value === undefined) throw new MatrixError('M_MISSING_PARAM', `${name} is required`);
  return value;
}

function tooLarge(message: string): MatrixError {
  return new MatrixError('M_TOO_LARGE', message);
}

/** device_keys of /keys/query: user ID → device IDs ([] = all devices). */
function queriedDevices(body: JsonRecord): Map<string, string[]> {
  const entries = Object.entries(requiredObject(body, 'device_keys'));
  if (entries.length > MAX_QUERIED_USERS) throw tooLarge(`device_keys may name at most ${MAX_QUERIED_USERS} users`);
  return new Map(
    entries.map(([userId, devices]) => {
      if (!Array.isArray(devices) || !devices.every((d) => typeof d === 'string')) throw new MatrixError('M_BAD_JSON', 'device_keys must map user IDs to arrays of device IDs');
      if (devices.length > MAX_QUERIED_DEVICES_PER_USER) throw tooLarge(`device_keys may list at most ${MAX_QUERIED_DEVICES_PER_USER} devices per user`);
      return [userId, devices as string[]];
    }),
  );
}

/** one_time_keys of /keys/claim: user ID → device ID → algorithm. */
function claimedDevices(body: JsonRecord): Map<string, Map<string, string>> {
  let count = 0;
  return new Map(
    Object.entries(requiredObject(body, 'one_time_keys')).map(([userId, devices]) => {
      if (!isJsonObject(devices) || !Object.values(devices).every((a) => typeof a === 'string')) {
        throw new MatrixError('M_BAD_JSON', 'one_time_keys must map user IDs to objects of device ID → algorithm');
      }
      count += Object.keys(devices).length;
      if (count > MAX_CLAIMED_DEVICES) throw tooLarge(`one_time_keys may name at most ${MAX_CLAIMED_DEVICES} devices`);
      return [userId, new Map(Object.entries(devices as Record<string, string>))];
    }),
  );
}

/** The body of /keys/signatures/upload: user ID → key ID → signed object. */
function signedObjects(body: JsonRecord): Map<string, Map<string, unknown>> {
  let count = 0;
  return new Map(
    Object.entries(body).map(([userId, objects]) => {
      if (!isJsonObject(objects)) throw new MatrixError('M_BAD_JSON', 'The body must map user IDs to objects of key ID → signed object');
      count += Object.keys(objects).length;
      if (count > MAX_SIGNED_OBJECTS) throw tooLarge(`At most ${MAX_SIGNED_OBJECTS} signed objects per request`);
      return [userId, new Map(Object.entries(objects))];
    }),
  );
}

export function keyRoutes(app: FastifyInstance, settings: AccountSettings): void {
  app.post('/_matrix/client/v3/keys/upload', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const deviceKeys = optionalObject(body, 'device_keys');
    const oneTimeKeys = optionalObject(body, 'one_time_keys');
    const fallbackKeys = optionalObject(body, 'fallback_keys');
    return uploadKeys(request.tenant, requesterOf(request), {
      ...(deviceKeys ? { deviceKeys: deviceKeysShape(deviceKeys) } : {}),
      oneTimeKeys: oneTimeKeys ? keyMap(oneTimeKeys, 'one_time_keys', MAX_ONE_TIME_KEYS_PER_UPLOAD) : [],
      fallbackKeys: fallbackKeys ? keyMap(fallbackKeys, 'fallback_keys', MAX_FALLBACK_KEYS_PER_UPLOAD) : [],
    });
  });

  app.post('/_matrix/client/v3/keys/query', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    return queryKeys(request.tenant, requesterOf(request).userId, queriedDevices(body), timeoutOf(body));
  });

  app.post('/_matrix/client/v3/keys/claim', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    return claimKeys(request.tenant, claimedDevices(body), timeoutOf(body));
  });

  app.get('/_matrix/client/v3/keys/changes', { config: { auth: 'required' } }, async (request) => {
    const from = requireSyncToken(requiredQueryParam(request.query, 'from'), 'from');
    const to = requireSyncToken(requiredQueryParam(request.query, 'to'), 'to');
    return deviceListUpdates(request.tenant, requesterOf(request).userId, from, to);
  });

  app.post('/_matrix/client/v3/keys/device_signing/upload', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const master = optionalObject(body, 'master_key');
    const selfSigning = optionalObject(body, 'self_signing_key');
    const userSigning = optionalObject(body, 'user_signing_key');
    return uploadCrossSigningKeys(request.tenant, accountDeps(request, settings), requesterOf(request), {
      ...(master ? { master } : {}),
      ...(selfSigning ? { selfSigning } : {}),
      ...(userSigning ? { userSigning } : {}),
      auth: body.auth,
    });
  });

  app.post('/_matrix/client/v3/keys/signatures/upload', { config: { auth: 'required' } }, async (request) =>
    uploadSignatures(request.tenant, requesterOf(request).userId, signedObjects(objectBody(request.body))),
  );
}
