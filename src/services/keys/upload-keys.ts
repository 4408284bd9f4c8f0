// POST /keys/upload: a device publishes its identity keys, one-time keys and fallback keys.
// Device keys must be the caller's own device's and signed by its own ed25519 key; signed
// one-time and fallback keys (signed_curve25519) must be signed by that key too. Re-uploading
// identical keys changes nothing; different device keys replace the stored ones (as Synapse
// does: the spec does not forbid it, and clients warn about changed identity keys) and drop
// the signatures others made on the old ones. A one-time key ID may not be reused with other
// content while the key is unclaimed.
import { MatrixError } from '../../errors/matrix-error.ts';
import { deviceSigningKey, hasValidSignature } from '../../protocol/e2ee-keys.ts';
import { canonicalJson } from '../../protocol/canonical-json.ts';
import type { JsonRecord } from '../../protocol/json-object.ts';
import { deleteSignaturesOf } from '../../storage/e2ee/cross-signing-keys.ts';
import { getDeviceKeys, putDeviceKeys } from '../../storage/e2ee/device-keys.ts';
import { countOneTimeKeys, existingOneTimeKeys, insertOneTimeKeys, putFallbackKey, type DeviceKey } from '../../storage/e2ee/one-time-keys.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';
import { changeOf, lockDeviceListStream, recordDeviceListChanges, wakeDeviceListAudience } from './device-list-changes.ts';
import { MAX_STORED_ONE_TIME_KEYS } from './key-limits.ts';
import { oneTimeKeyCounts } from './key-counts.ts';

export interface KeyUpload {
  /** Checked with deviceKeysShape, without `unsigned`. */
  deviceKeys?: JsonRecord;
  oneTimeKeys: DeviceKey[];
  fallbackKeys: DeviceKey[];
}

/** Algorithms whose keys are objects signed by the device's ed25519 key. */
const SIGNED_ALGORITHMS = new Set(['signed_curve25519']);

function checkOwnDevice(requester: Requester, deviceKeys: JsonRecord): string {
  if (deviceKeys.user_id !== requester.userId || deviceKeys.device_id !== requester.deviceId) {
    throw new MatrixError('M_INVALID_PARAM', 'device_keys must be for the user and device of the access token');
  }
  const signingKey = deviceSigningKey(deviceKeys, requester.deviceId);
  if (signingKey === undefined) throw new MatrixError('M_INVALID_PARAM', `device_keys.keys must hold the device's ed25519:${requester.deviceId} key`);
  if (!hasValidSignature(deviceKeys, requester.userId, `ed25519:${requester.deviceId}`, signingKey)) {
    throw new MatrixError('M_INVALID_SIGNATURE', 'device_keys must be signed by the device’s own ed25519 key');
  }
  return signingKey;
}

function checkSignedKeys(requester: Requester, keys: readonly DeviceKey[], signingKey: string | undefined, field: string): void {
  for (const k of keys) {
    if (!SIGNED_ALGORITHMS.has(k.algorithm)) continue;
    const name = `${field}.${k.algorithm}:${k.keyId}`;
    if (typeof k.key !== 'object') throw new MatrixError('M_INVALID_PARAM', `${name} must be a signed key object`);
    if (signingKey === undefined) throw new MatrixError('M_INVALID_SIGNATURE', `${name} cannot be verified: the device has no device keys`);
    if (!hasValidSignature(k.key as JsonRecord, requester.userId, `ed25519:${requester.deviceId}`, signingKey)) {
      throw new MatrixError('M_INVALID_SIGNATURE', `${name} is not signed by the device’s ed25519 key`);
    }
  }
}

function checkOneFallbackPerAlgorithm(keys: readonly DeviceKey[]): void {
  const algorithms = new Set(keys.map((k) => k.algorithm));
  if (algorithms.size !== keys.length) throw new MatrixError('M_INVALID_PARAM', 'fallback_keys may hold one key per algorithm');
}

/** Translates the foreign-key failure of a device deleted while its request ran. */
function deviceGone(error: unknown): never {
  if ((error as { code?: unknown }).code === '23503') throw new MatrixError('M_UNKNOWN_TOKEN', 'This device has been deleted');
  throw error;
}

export async function uploadKeys(tenant: TenantContext, requester: Requester, upload: KeyUpload): Promise<{ one_time_key_counts: Record<string, number> }> {
  const { userId, deviceId } = requester;
  checkOneFallbackPerAlgorithm(upload.fallbackKeys);
  const needsSigningKey = [...upload.oneTimeKeys, ...upload.fallbackKeys].some((k) => SIGNED_ALGORITHMS.has(k.algorithm));
  let signingKey: string | undefined;
  if (upload.deviceKeys) signingKey = checkOwnDevice(requester, upload.deviceKeys);
  else if (needsSigningKey) {
    const stored = await getDeviceKeys(tenant.db, userId, deviceId);
    signingKey = stored ? deviceSigningKey(stored, deviceId) : undefined;
  }
  checkSignedKeys(requester, upload.oneTimeKeys, signingKey, 'one_time_keys');
  checkSignedKeys(requester, upload.fallbackKeys, signingKey, 'fallback_keys');

  const changed = await tenant.db
    .transaction()
    .execute(async (trx) => {
      let deviceChanged = false;
      if (upload.deviceKeys) {
        // Before the key and signature rows (see lockDeviceListStream).
        await lockDeviceListStream(trx);
        deviceChanged = await putDeviceKeys(trx, userId, deviceId, upload.deviceKeys, Date.now());
        if (deviceChanged) {
          await deleteSignaturesOf(trx, userId, deviceId);
          await recordDeviceListChanges(trx, [changeOf(userId)]);
        }
      }
      if (upload.oneTimeKeys.length > 0) {
        const existing = await existingOneTimeKeys(trx, userId, deviceId, upload.oneTimeKeys.map((k) => k.keyId));
        const fresh = upload.oneTimeKeys.filter((k) => {
          const stored = existing.get(`${k.algorithm}:${k.keyId}`);
          if (stored === undefined) return true;
          if (canonicalJson(stored) !== canonicalJson(k.key)) {
            throw new MatrixError('M_INVALID_PARAM', `One-time key ${k.algorithm}:${k.keyId} already exists with different content`);
          }
          return false;
        });
        const stored = [...(await countOneTimeKeys(trx, userId, deviceId)).values()].reduce((a, b) => a + b, 0);
        if (stored + fresh.length > MAX_STORED_ONE_TIME_KEYS) {
          throw new MatrixError('M_TOO_LARGE', `A device may hold at most ${MAX_STORED_ONE_TIME_KEYS} unclaimed one-time keys`);
        }
        await insertOneTimeKeys(trx, userId, deviceId, fresh);
      }
      for (const key of upload.fallbackKeys) await putFallbackKey(trx, userId, deviceId, key);
      return deviceChanged;
    })
    .catch(deviceGone);
  if (changed) await wakeDeviceListAudience(tenant, [changeOf(userId)]);
  return { one_time_key_counts: await oneTimeKeyCounts(tenant, userId, deviceId) };
}
