// End-to-end encryption key objects (client-server API, "End-to-End Encryption"): device
// keys, signed one-time/fallback keys and cross-signing keys are signed JSON; these helpers
// check their shape-independent facts (public keys, signatures, equality of the signed
// content). Pure: callers turn the answers into errors.
import { canonicalJson } from './canonical-json.ts';
import { decodeBase64 } from './base64.ts';
import { isJsonObject, type JsonRecord } from './json-object.ts';
import { verifyJson } from './signing.ts';

const ED25519 = 'ed25519:';

/** The raw bytes of an unpadded-base64 ed25519 public key, or undefined when it is not one. */
export function ed25519PublicKeyBytes(text: unknown): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  const bytes = decodeBase64(text);
  return bytes?.byteLength === 32 ? bytes : undefined;
}

/** Whether `obj` carries a valid signature by `userId`'s key `keyId` (e.g. "ed25519:DEVICE")
 * whose public key is the unpadded base64 `publicKey`. Never throws. */
export function hasValidSignature(obj: object, userId: string, keyId: string, publicKey: unknown): boolean {
  const raw = ed25519PublicKeyBytes(publicKey);
  return raw !== undefined && verifyJson(obj, userId, keyId, raw);
}

/** The device's own ed25519 key (`keys["ed25519:<device_id>"]`), if it is one. */
export function deviceSigningKey(deviceKeys: JsonRecord, deviceId: string): string | undefined {
  const keys = deviceKeys.keys;
  if (!isJsonObject(keys)) return undefined;
  const keyId = `${ED25519}${deviceId}`;
  const value = Object.hasOwn(keys, keyId) ? keys[keyId] : undefined;
  return ed25519PublicKeyBytes(value) ? (value as string) : undefined;
}

/** A cross-signing key's public key: its `keys` must hold exactly one entry,
 * `ed25519:<public key>` → the same public key. Undefined otherwise. */
export function crossSigningPublicKey(key: JsonRecord): string | undefined {
  const keys = key.keys;
  if (!isJsonObject(keys)) return undefined;
  const entries = Object.entries(keys);
  if (entries.length !== 1) return undefined;
  const [name, value] = entries[0] as [string, unknown];
  if (!name.startsWith(ED25519) || name.slice(ED25519.length) !== value) return undefined;
  return ed25519PublicKeyBytes(value) ? (value as string) : undefined;
}

/** The canonical JSON of what a signature covers: the object without `signatures` and
 * `unsigned`. Throws CanonicalJsonError when there is no canonical form. */
export function signedContent(obj: JsonRecord): string {
  const { signatures: _s, unsigned: _u, ...rest } = obj;
  return canonicalJson(rest);
}

/** Whether two key objects sign the same content (signatures and unsigned aside). */
export function sameSignedContent(a: JsonRecord, b: JsonRecord): boolean {
  try {
    return signedContent(a) === signedContent(b);
  } catch {
    return false;
  }
}

/** The signatures an object carries from one user: key ID → signature (strings only). */
export function signaturesBy(obj: JsonRecord, userId: string): Map<string, string> {
  const result = new Map<string, string>();
  const signatures = obj.signatures;
  if (!isJsonObject(signatures)) return result;
  const byUser = Object.hasOwn(signatures, userId) ? signatures[userId] : undefined;
  if (!isJsonObject(byUser)) return result;
  for (const [keyId, signature] of Object.entries(byUser)) if (typeof signature === 'string') result.set(keyId, signature);
  return result;
}
