// POST /keys/signatures/upload: signatures on keys, checked and stored beside the keys
// (e2e_signatures) so /keys/query merges them in. Accepted signatures (spec, "Cross-signing"):
// - the user's own device keys, signed by their self-signing key;
// - the user's own master key, signed by one of their devices;
// - another local user's master key, signed by the user's user-signing key (only the signer
//   ever sees it, so only the signer's clients hear of the change).
// The signed object must be the stored key (signatures and unsigned aside). Anything else
// is reported per key in `failures`; the rest is stored.
import { MatrixError, type Errcode } from '../../errors/matrix-error.ts';
import { deviceSigningKey, hasValidSignature, sameSignedContent, signaturesBy } from '../../protocol/e2ee-keys.ts';
import { parseUserId } from '../../protocol/ids.ts';
import { isJsonObject, setOwn, type JsonRecord } from '../../protocol/json-object.ts';
import { crossSigningKeysOf, putSignatures, type StoredCrossSigningKey, type StoredSignature } from '../../storage/e2ee/cross-signing-keys.ts';
import { deviceKeysOfUser } from '../../storage/e2ee/device-keys.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { recordDeviceListChanges, wakeDeviceListAudience, type DeviceListChange } from './device-list-changes.ts';
import { canonicalKeyJson } from './key-validation.ts';

type Failure = { errcode: Errcode; error: string };
export interface SignaturesUploadResponse {
  failures: Record<string, Record<string, Failure>>;
}

class SignatureFailure extends Error {
  readonly failure: Failure;
  constructor(errcode: Errcode, error: string) {
    super(error);
    this.failure = { errcode, error };
  }
}

function fail(errcode: Errcode, error: string): never {
  throw new SignatureFailure(errcode, error);
}

interface Known {
  requesterId: string;
  ownDevices: Map<string, JsonRecord>;
  /** The requester's own keys, and other targets' master keys: user → usage → key. */
  crossSigning: Map<string, Map<string, StoredCrossSigningKey>>;
}

const publicKeyOf = (key: StoredCrossSigningKey): string => key.keyId.slice('ed25519:'.length);

function mustMatch(signed: JsonRecord, stored: JsonRecord): void {
  if (!sameSignedContent(signed, stored)) fail('M_INVALID_PARAM', 'The signed object does not match the stored key');
}

/** Own device keys signed by the self-signing key. */
function deviceSignature(known: Known, deviceId: string, signed: JsonRecord): StoredSignature {
  const userId = known.requesterId;
  mustMatch(signed, known.ownDevices.get(deviceId) as JsonRecord);
  const ssk = known.crossSigning.get(userId)?.get('self_signing');
  if (!ssk) fail('M_INVALID_SIGNATURE', 'You have no self-signing key to sign devices with');
  const signature = signaturesBy(signed, userId).get(ssk.keyId);
  if (signature === undefined || !hasValidSignature(signed, userId, ssk.keyId, publicKeyOf(ssk))) fail('M_INVALID_SIGNATURE', 'Invalid signature by the self-signing key');
  return { targetUserId: userId, targetKeyId: deviceId, signerUserId: userId, signerKeyId: ssk.keyId, signature };
}

/** Own master key signed by devices of the user. */
function ownMasterSignatures(known: Known, master: StoredCrossSigningKey, signed: JsonRecord): StoredSignature[] {
  const userId = known.requesterId;
  mustMatch(signed, master.key);
  const result: StoredSignature[] = [];
  for (const [keyId, signature] of signaturesBy(signed, userId)) {
    const deviceKeys = keyId.startsWith('ed25519:') ? known.ownDevices.get(keyId.slice('ed25519:'.length)) : undefined;
    if (!deviceKeys) continue; // the master's own signature, or a key that is not a device's
    const devicePublicKey = deviceSigningKey(deviceKeys, keyId.slice('ed25519:'.length));
    if (!hasValidSignature(signed, userId, keyId, devicePublicKey)) fail('M_INVALID_SIGNATURE', `Invalid signature by ${keyId}`);
    result.push({ targetUserId: userId, targetKeyId: publicKeyOf(master), signerUserId: userId, signerKeyId: keyId, signature });
  }
  if (result.length === 0) fail('M_INVALID_SIGNATURE', 'No signature by one of your devices');
  return result;
}

/** Another user's master key signed by the requester's user-signing key. */
function otherMasterSignature(known: Known, master: StoredCrossSigningKey, signed: JsonRecord): StoredSignature {
  const signer = known.requesterId;
  mustMatch(signed, master.key);
  const usk = known.crossSigning.get(signer)?.get('user_signing');
  if (!usk) fail('M_INVALID_SIGNATURE', 'You have no user-signing key to sign other users with');
  const signature = signaturesBy(signed, signer).get(usk.keyId);
  if (signature === undefined || !hasValidSignature(signed, signer, usk.keyId, publicKeyOf(usk))) fail('M_INVALID_SIGNATURE', 'Invalid signature by the user-signing key');
  return { targetUserId: master.userId, targetKeyId: publicKeyOf(master), signerUserId: signer, signerKeyId: usk.keyId, signature };
}

function signaturesFor(tenant: TenantContext, known: Known, targetUserId: string, keyId: string, signed: unknown): { signatures: StoredSignature[]; change: DeviceListChange } {
  if (!isJsonObject(signed)) fail('M_BAD_JSON', 'The signed object must be a JSON object');
  try {
    canonicalKeyJson(signed, 'The signed object');
  } catch (error) {
    if (error instanceof MatrixError) fail(error.errcode, error.message);
    throw error;
  }
  if (signed.user_id !== targetUserId) fail('M_INVALID_PARAM', 'The signed object belongs to another user');
  const own = targetUserId === known.requesterId;
  const master = known.crossSigning.get(targetUserId)?.get('master');
  if (own && known.ownDevices.has(keyId)) {
    if (signed.device_id !== keyId) fail('M_INVALID_PARAM', 'The signed object is for another device');
    return { signatures: [deviceSignature(known, keyId, signed)], change: { userId: targetUserId, onlyFor: null } };
  }
  if (master !== undefined && publicKeyOf(master) === keyId) {
    if (own) return { signatures: ownMasterSignatures(known, master, signed), change: { userId: targetUserId, onlyFor: null } };
    return { signatures: [otherMasterSignature(known, master, signed)], change: { userId: targetUserId, onlyFor: known.requesterId } };
  }
  if (parseUserId(targetUserId)?.serverName !== tenant.serverName) fail('M_UNKNOWN', 'Signing keys of users on other servers is not supported yet');
  if (!own) fail('M_NOT_FOUND', 'Unknown key: only master keys of other users can be signed');
  fail('M_NOT_FOUND', 'Unknown key');
}

export async function uploadSignatures(tenant: TenantContext, requesterId: string, body: ReadonlyMap<string, ReadonlyMap<string, unknown>>): Promise<SignaturesUploadResponse> {
  const targets = [...body.keys()];
  const [ownDevices, ownKeys, masters] = await Promise.all([
    body.has(requesterId) ? deviceKeysOfUser(tenant.db, requesterId) : new Map<string, JsonRecord>(),
    crossSigningKeysOf(tenant.db, [requesterId], ['master', 'self_signing', 'user_signing']),
    crossSigningKeysOf(tenant.db, targets.filter((t) => t !== requesterId), ['master']),
  ]);
  const crossSigning = new Map<string, Map<string, StoredCrossSigningKey>>();
  for (const key of [...ownKeys, ...masters]) {
    if (!crossSigning.has(key.userId)) crossSigning.set(key.userId, new Map());
    crossSigning.get(key.userId)?.set(key.usage, key);
  }
  const known: Known = { requesterId, ownDevices, crossSigning };

  const response: SignaturesUploadResponse = { failures: {} };
  const accepted: StoredSignature[] = [];
  const changes = new Map<string, DeviceListChange>();
  for (const [targetUserId, objects] of body) {
    for (const [keyId, signed] of objects) {
      try {
        const { signatures, change } = signaturesFor(tenant, known, targetUserId, keyId, signed);
        accepted.push(...signatures);
        changes.set(`${change.userId}\u0000${change.onlyFor ?? ''}`, change);
      } catch (error) {
        if (!(error instanceof SignatureFailure)) throw error;
        if (!Object.hasOwn(response.failures, targetUserId)) setOwn(response.failures, targetUserId, {});
        setOwn(response.failures[targetUserId] as Record<string, Failure>, keyId, error.failure);
      }
    }
  }
  if (accepted.length > 0) {
    await tenant.db.transaction().execute(async (trx) => {
      await recordDeviceListChanges(trx, [...changes.values()]);
      await putSignatures(trx, accepted);
    });
    await wakeDeviceListAudience(tenant, [...changes.values()]);
  }
  return response;
}
