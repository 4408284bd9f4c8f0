// POST /keys/device_signing/upload: a user publishes cross-signing keys (master,
// self-signing, user-signing). Per the spec (v1.11+) user-interactive auth is required
// except when the user has no master key yet, or when the request only repeats the stored
// keys (then nothing changes, so a retried upload whose response was lost succeeds).
// Each key must be the user's, have the right usage and exactly one ed25519 public key; the
// self-signing and user-signing keys must be signed by the accompanying master key or the
// stored one (400 M_INVALID_SIGNATURE; none at all: 400 M_MISSING_PARAM). A public key equal
// to one of the user's device IDs is 403 M_FORBIDDEN (the spec: the two share a namespace).
import { MatrixError } from '../../errors/matrix-error.ts';
import { crossSigningPublicKey, hasValidSignature } from '../../protocol/e2ee-keys.ts';
import { canonicalJson } from '../../protocol/canonical-json.ts';
import type { JsonRecord } from '../../protocol/json-object.ts';
import { ownCrossSigningKeys, putCrossSigningKey, type CrossSigningUsage, type StoredCrossSigningKey } from '../../storage/e2ee/cross-signing-keys.ts';
import { getDevice } from '../../storage/devices.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';
import type { AccountDeps } from '../auth/deps.ts';
import { STAGE_PASSWORD, finishUiaSession, userInteractiveAuth, type UiaSuccess } from '../auth/uia.ts';
import { changeOf, recordDeviceListChanges, wakeDeviceListAudience } from './device-list-changes.ts';
import { canonicalKeyJson } from './key-validation.ts';

export interface CrossSigningUpload {
  master?: JsonRecord;
  selfSigning?: JsonRecord;
  userSigning?: JsonRecord;
  auth: unknown;
}

interface CheckedKey {
  usage: CrossSigningUsage;
  publicKey: string;
  key: JsonRecord;
  canonical: string;
}

const FIELD: Record<CrossSigningUsage, string> = { master: 'master_key', self_signing: 'self_signing_key', user_signing: 'user_signing_key' };

function checkKey(userId: string, usage: CrossSigningUsage, value: JsonRecord): CheckedKey {
  const field = FIELD[usage];
  if (value.user_id !== userId) throw new MatrixError('M_INVALID_PARAM', `${field}.user_id must be your own user ID`);
  if (!Array.isArray(value.usage) || !value.usage.every((u) => typeof u === 'string') || !value.usage.includes(usage)) {
    throw new MatrixError('M_INVALID_PARAM', `${field}.usage must include "${usage}"`);
  }
  const publicKey = crossSigningPublicKey(value);
  if (publicKey === undefined) throw new MatrixError('M_INVALID_PARAM', `${field}.keys must hold exactly one ed25519:<public key> entry`);
  if (value.signatures !== undefined && (typeof value.signatures !== 'object' || value.signatures === null || Array.isArray(value.signatures))) {
    throw new MatrixError('M_BAD_JSON', `${field}.signatures must be an object`);
  }
  const { unsigned: _unsigned, ...key } = value;
  return { usage, publicKey, key, canonical: canonicalKeyJson(key, field) };
}

function sameAsStored(key: CheckedKey | undefined, stored: StoredCrossSigningKey | undefined): boolean {
  return key === undefined || (stored !== undefined && canonicalJson(stored.key) === key.canonical);
}

/** Checks that the subordinate keys are signed by the master key in effect. */
function checkSignedByMaster(userId: string, keys: readonly CheckedKey[], masterPublicKey: string | undefined): void {
  for (const key of keys) {
    if (key.usage === 'master') continue;
    if (masterPublicKey === undefined) throw new MatrixError('M_MISSING_PARAM', 'No master signing key is available');
    if (!hasValidSignature(key.key, userId, `ed25519:${masterPublicKey}`, masterPublicKey)) {
      throw new MatrixError('M_INVALID_SIGNATURE', `${FIELD[key.usage]} is not signed by the master signing key`);
    }
  }
}

export async function uploadCrossSigningKeys(tenant: TenantContext, deps: AccountDeps, requester: Requester, input: CrossSigningUpload): Promise<Record<string, never>> {
  const { userId } = requester;
  const master = input.master && checkKey(userId, 'master', input.master);
  const selfSigning = input.selfSigning && checkKey(userId, 'self_signing', input.selfSigning);
  const userSigning = input.userSigning && checkKey(userId, 'user_signing', input.userSigning);
  const keys = [master, selfSigning, userSigning].filter((k): k is CheckedKey => k !== undefined);
  if (keys.length === 0) throw new MatrixError('M_MISSING_PARAM', 'No cross-signing keys were given');

  const existing = await ownCrossSigningKeys(tenant.db, userId);
  const storedMaster = existing.get('master');
  checkSignedByMaster(userId, keys, master?.publicKey ?? storedMaster?.keyId.slice('ed25519:'.length));
  for (const key of keys) {
    if (await getDevice(tenant.db, userId, key.publicKey)) throw new MatrixError('M_FORBIDDEN', `${FIELD[key.usage]}'s public key is one of your device IDs`);
  }
  // Nothing new (the spec's second exemption): succeed without changing anything.
  const repeated =
    master !== undefined && sameAsStored(master, storedMaster) && sameAsStored(selfSigning, existing.get('self_signing')) && sameAsStored(userSigning, existing.get('user_signing'));
  if (repeated) return {};

  let uia: UiaSuccess | undefined;
  if (storedMaster !== undefined) {
    uia = await userInteractiveAuth(tenant, deps, { operation: 'device_signing_upload', flows: [[STAGE_PASSWORD]], userId }, input.auth);
  }
  await tenant.db.transaction().execute(async (trx) => {
    // Taking the position first serialises concurrent uploads; then the keys read above
    // must still be the stored ones (else another upload won: its keys need UIA to replace).
    const position = (await recordDeviceListChanges(trx, [changeOf(userId)])) as number;
    const current = await ownCrossSigningKeys(trx, userId);
    if (current.get('master')?.keyId !== storedMaster?.keyId) {
      throw new MatrixError('M_FORBIDDEN', 'Cross-signing keys were changed by another request; try again');
    }
    if (uia) await finishUiaSession(trx, uia.sessionId);
    for (const key of keys) await putCrossSigningKey(trx, { userId, usage: key.usage, keyId: `ed25519:${key.publicKey}`, key: key.key }, position);
  });
  await wakeDeviceListAudience(tenant, [changeOf(userId)]);
  return {};
}
