// Signing events (server-server API, "Signing Events"): hash the full event, then sign its
// redacted form, so signatures survive redaction while the hash detects changed content.
import type { KeyObject } from 'node:crypto';
import { encodeBase64 } from './base64.ts';
import { canonicalJsonOfMembers, canonicalMember } from './canonical-json.ts';
import { addContentHash, CONTENT_HASH_EXCLUDED_KEYS, sha256 } from './event-hashes.ts';
import { encodeEventJson } from './event-json.ts';
import { redactWithVersion } from './redaction.ts';
import { requireRoomVersion, roomVersion as lookupRoomVersion } from './room-versions.ts';
import { publicKeyFromRaw, signBytes, signJsonWithKey, verifyJsonWithKey, type Signatures, type SigningKey } from './signing.ts';

/** Adds this server's signature, computed over the redacted event, to a copy of the event;
 * `hashes` is left as it is (use hashAndSignEvent for a new event). Earlier signatures stay.
 * Throws UnknownRoomVersionError, or CanonicalJsonError if the event is not canonical JSON. */
export function signEvent<T extends object>(
  pdu: T,
  serverName: string,
  signingKey: SigningKey,
  roomVersion: string,
): T & { signatures: Signatures } {
  const version = requireRoomVersion(roomVersion);
  const signedRedacted = signJsonWithKey(redactWithVersion(pdu, version), serverName, signingKey);
  // The redacted copy kept the event's earlier signatures, so its set is the complete one.
  return { ...pdu, signatures: signedRedacted.signatures };
}

/** Prepares an event this server sends: sets `hashes.sha256` to the content hash of the full
 * event, then signs the redacted form and copies the signature back. Throws as signEvent does. */
export function hashAndSignEvent<T extends object>(
  pdu: T,
  serverName: string,
  signingKey: SigningKey,
  roomVersion: string,
): T & { hashes: { sha256: string }; signatures: Signatures } {
  requireRoomVersion(roomVersion);
  return signEvent(addContentHash(pdu), serverName, signingKey, roomVersion);
}

/**
 * hashAndSignEvent for an event this server creates, returning its reference hash (room
 * versions 3+ derive the event ID from it) and its JSON (strict canonical JSON, which every
 * room version's encoding equals for what the strict form accepts). The three texts involved
 * share most of their members: the content hash covers the event without `unsigned`,
 * `signatures` and `hashes`; the signature and the reference hash cover the same bytes, the
 * redacted event with `hashes`; the JSON is the whole signed event. So each top-level
 * member is encoded once and the texts are assembled from them (only redacted content is
 * encoded on its own). Throws as hashAndSignEvent does; an event that already carries
 * signatures must use that.
 *
 * (Signing in libuv's thread pool instead was measured: the hop's thread wake-ups on a
 * busy two-core machine cost the event loop more than the ~50 µs signature.)
 */
export function hashAndSignNewEvent<T extends object>(
  pdu: T,
  serverName: string,
  signingKey: SigningKey,
  roomVersion: string,
): { pdu: T & { hashes: { sha256: string }; signatures: Signatures }; referenceHash: Uint8Array; json: string } {
  const version = requireRoomVersion(roomVersion);
  const source = pdu as Record<string, unknown>;
  const members = new Map<string, string>();
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value !== undefined && !CONTENT_HASH_EXCLUDED_KEYS.includes(key)) members.set(key, canonicalMember(key, value));
  }
  const hashes = { sha256: encodeBase64(sha256(canonicalJsonOfMembers(members))) };
  members.set('hashes', canonicalMember('hashes', hashes));
  const hashed = { ...pdu, hashes };

  const redacted = redactWithVersion(hashed, version);
  const redactedMembers = new Map<string, string>();
  for (const key of Object.keys(redacted)) {
    if (key === 'signatures' || key === 'unsigned') continue;
    // Redaction keeps top-level values as they are (the same objects); content it may filter.
    const kept = key === 'content' && redacted.content !== source.content ? undefined : members.get(key);
    redactedMembers.set(key, kept ?? canonicalMember(key, redacted[key]));
  }
  const bytes = Buffer.from(canonicalJsonOfMembers(redactedMembers), 'utf8');
  const signatures = { [serverName]: { [signingKey.keyId]: signBytes(bytes, signingKey) } };
  members.set('signatures', canonicalMember('signatures', signatures));
  if (source.unsigned !== undefined) members.set('unsigned', canonicalMember('unsigned', source.unsigned));
  return {
    pdu: { ...hashed, signatures },
    referenceHash: sha256(bytes),
    json: canonicalJsonOfMembers(members),
  };
}

/** Verifies `serverName`'s signature under `keyId` over the redacted event, so it holds for
 * the full event and for a redacted copy alike. Never throws: malformed input, an unknown room
 * version or a bad key is `false`. Checks one signature; which servers must have signed and
 * whether the key was valid at origin_server_ts are the caller's policy. */
export function verifyEventSignatureWithKey(
  pdu: unknown,
  serverName: string,
  keyId: string,
  publicKey: KeyObject,
  roomVersion: string,
): boolean {
  const version = lookupRoomVersion(roomVersion);
  if (!version || typeof pdu !== 'object' || pdu === null || Array.isArray(pdu)) return false;
  try {
    const redacted = redactWithVersion(pdu, version);
    return verifyJsonWithKey(redacted, serverName, keyId, publicKey, (value) => encodeEventJson(value, version));
  } catch {
    return false;
  }
}

/** verifyEventSignatureWithKey with a raw 32-byte ed25519 public key. Never throws. */
export function verifyEventSignature(
  pdu: unknown,
  serverName: string,
  keyId: string,
  publicKey: Uint8Array,
  roomVersion: string,
): boolean {
  let key: KeyObject;
  try {
    key = publicKeyFromRaw(publicKey);
  } catch {
    return false;
  }
  return verifyEventSignatureWithKey(pdu, serverName, keyId, key, roomVersion);
}
