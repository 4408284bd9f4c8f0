// Signing JSON (spec appendices, "Signing JSON"): ed25519 over the canonical JSON of the
// object without `signatures` and `unsigned`, through node:crypto (native, fast).
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { decodeBase64, encodeBase64 } from './base64.ts';

// DER prefixes that wrap a raw 32-byte ed25519 seed (PKCS#8) or public key (SPKI).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export type Signatures = Record<string, Record<string, string>>;

/** Turns a JSON value into the bytes' text form to sign: canonicalJson, or the lenient variant
 * old room versions need when verifying what others signed. */
export type JsonEncoder = (value: unknown) => string;

/** The only signing algorithm the spec defines ("Signing Details"). */
const ED25519_PREFIX = 'ed25519:';

/** True for a key ID this module can sign or verify with: `ed25519:` + a non-empty version. */
export function isEd25519KeyId(keyId: string): boolean {
  return typeof keyId === 'string' && keyId.startsWith(ED25519_PREFIX) && keyId.length > ED25519_PREFIX.length;
}

export interface SigningKey {
  /** e.g. "ed25519:abc123" */
  keyId: string;
  privateKey: KeyObject;
  /** raw 32-byte public key */
  publicKey: Uint8Array;
}

export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.byteLength !== 32) throw new RangeError('ed25519 seed must be 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  if (raw.byteLength !== 32) throw new RangeError('ed25519 public key must be 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** The raw 32-byte public key belonging to a seed. */
export function publicKeyOfSeed(seed: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKeyFromSeed(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

export function signingKeyFromSeed(keyId: string, seed: Uint8Array): SigningKey {
  return { keyId, privateKey: privateKeyFromSeed(seed), publicKey: publicKeyOfSeed(seed) };
}

function signable(obj: object): Record<string, unknown> {
  const { signatures: _s, unsigned: _u, ...rest } = obj as Record<string, unknown>;
  return rest;
}

/** The signature of `key` over bytes (base64, unpadded). */
export function signBytes(bytes: Uint8Array, key: SigningKey): string {
  if (!isEd25519KeyId(key.keyId)) throw new RangeError(`not an ed25519 key ID: ${key.keyId}`);
  return encodeBase64(sign(null, bytes, key.privateKey));
}

/** Signs with a prepared key; returns a copy with the signature added beside existing ones.
 * Throws CanonicalJsonError when obj has no canonical form, RangeError for a non-ed25519 key ID. */
export function signJsonWithKey<T extends object>(
  obj: T,
  serverName: string,
  key: SigningKey,
): T & { signatures: Signatures } {
  const signature = signBytes(Buffer.from(canonicalJson(signable(obj)), 'utf8'), key);
  const existing = ((obj as Record<string, unknown>).signatures ?? {}) as Signatures;
  return {
    ...obj,
    signatures: { ...existing, [serverName]: { ...(existing[serverName] ?? {}), [key.keyId]: signature } },
  };
}

/** Returns a signed copy of obj; seed is the 32-byte ed25519 seed. */
export function signJson<T extends object>(
  obj: T,
  serverName: string,
  keyId: string,
  seed: Uint8Array,
): T & { signatures: Signatures } {
  return signJsonWithKey(obj, serverName, { keyId, privateKey: privateKeyFromSeed(seed), publicKey: new Uint8Array() });
}

/** Verifies one signature against a KeyObject ("Checking for a Signature"). Never throws:
 * malformed input, a key ID of an algorithm other than ed25519, or an object without a
 * canonical form is `false`. */
export function verifyJsonWithKey(
  obj: object,
  serverName: string,
  keyId: string,
  publicKey: KeyObject,
  encode: JsonEncoder = canonicalJson,
): boolean {
  try {
    if (!isEd25519KeyId(keyId)) return false;
    const sigs = (obj as { signatures?: unknown }).signatures;
    if (typeof sigs !== 'object' || sigs === null) return false;
    const byServer = (sigs as Record<string, unknown>)[serverName];
    if (typeof byServer !== 'object' || byServer === null) return false;
    const sig = (byServer as Record<string, unknown>)[keyId];
    if (typeof sig !== 'string') return false;
    const sigBytes = decodeBase64(sig);
    if (!sigBytes || sigBytes.byteLength !== 64) return false;
    const bytes = Buffer.from(encode(signable(obj)), 'utf8');
    return verify(null, bytes, publicKey, sigBytes);
  } catch {
    return false;
  }
}

/** Verifies one signature with a raw 32-byte public key. Never throws. */
export function verifyJson(
  obj: object,
  serverName: string,
  keyId: string,
  publicKey: Uint8Array,
  encode: JsonEncoder = canonicalJson,
): boolean {
  let key: KeyObject;
  try {
    key = publicKeyFromRaw(publicKey);
  } catch {
    return false;
  }
  return verifyJsonWithKey(obj, serverName, keyId, key, encode);
}
