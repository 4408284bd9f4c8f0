// Content hashes and reference hashes (server-server API, "Calculating the content hash for an
// event" and "Calculating the reference hash for an event").
import { createHash, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { decodeBase64, encodeBase64 } from './base64.ts';
import { encodeEventJson } from './event-json.ts';
import { redactWithVersion } from './redaction.ts';
import { requireRoomVersion, roomVersion as lookupRoomVersion, type RoomVersion } from './room-versions.ts';

/** SHA-256 of bytes, or of a text as UTF-8. */
export function sha256(data: string | Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** Top-level keys the content hash does not cover (nor, but for `hashes`, the signature). */
export const CONTENT_HASH_EXCLUDED_KEYS: readonly string[] = ['unsigned', 'signatures', 'hashes'];

function withoutKeys(obj: object, keys: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  for (const key of keys) delete copy[key];
  return copy;
}

function contentHashWith(pdu: object, version: RoomVersion | undefined): Uint8Array {
  // `unsigned` changes in transit, `signatures` cover `hashes`, and `hashes` cannot cover itself.
  return sha256(encodeEventJson(withoutKeys(pdu, CONTENT_HASH_EXCLUDED_KEYS), version));
}

function versionOrUndefined(roomVersion: string | undefined): RoomVersion | undefined {
  return roomVersion === undefined ? undefined : requireRoomVersion(roomVersion);
}

/** The raw 32-byte sha256 content hash. With a room version, encodes the way that version does
 * (strict canonical JSON for v6+); without, leniently (see canonicalJsonLenient). Throws
 * CanonicalJsonError when the event has no such encoding and UnknownRoomVersionError for an
 * unknown room version. */
export function contentHashBytes(pdu: object, roomVersion?: string): Uint8Array {
  return contentHashWith(pdu, versionOrUndefined(roomVersion));
}

/** The content hash as unpadded standard base64, the form stored in `hashes.sha256`. */
export function contentHash(pdu: object, roomVersion?: string): string {
  return encodeBase64(contentHashBytes(pdu, roomVersion));
}

/** Checks `hashes.sha256` against the event. Never throws: a missing or malformed hash, an
 * unencodable event or an unknown room version is `false`. False means the receiver must use
 * the redacted copy of the event (spec: "Validating hashes and signatures"). */
export function verifyContentHash(pdu: unknown, roomVersion?: string): boolean {
  try {
    if (typeof pdu !== 'object' || pdu === null || Array.isArray(pdu)) return false;
    let version: RoomVersion | undefined;
    if (roomVersion !== undefined) {
      version = lookupRoomVersion(roomVersion);
      if (!version) return false;
    }
    const hashes = (pdu as { hashes?: unknown }).hashes;
    if (typeof hashes !== 'object' || hashes === null) return false;
    const claimed = (hashes as { sha256?: unknown }).sha256;
    if (typeof claimed !== 'string') return false;
    const claimedBytes = decodeBase64(claimed);
    if (!claimedBytes || claimedBytes.byteLength !== 32) return false;
    return timingSafeEqual(claimedBytes, contentHashWith(pdu, version));
  } catch {
    return false;
  }
}

/** Returns a copy of the event with `hashes` set to `{ sha256: <content hash> }`, replacing any
 * earlier `hashes` object as the spec's example code does. Uses strict canonical JSON: this is
 * for events this server creates, which must be canonical in every room version. Throws
 * CanonicalJsonError otherwise. */
export function addContentHash<T extends object>(pdu: T): T & { hashes: { sha256: string } } {
  const digest = sha256(canonicalJson(withoutKeys(pdu, CONTENT_HASH_EXCLUDED_KEYS)));
  return { ...pdu, hashes: { sha256: encodeBase64(digest) } };
}

/** The reference hash with an already resolved room version. */
export function referenceHashWithVersion(pdu: object, version: RoomVersion): Uint8Array {
  // Redaction already drops `unsigned`; `signatures` must go explicitly (step 2).
  const redacted = withoutKeys(redactWithVersion(pdu, version), ['signatures', 'unsigned']);
  return sha256(encodeEventJson(redacted, version));
}

/** The raw 32-byte reference hash: sha256 of the canonical JSON of the redacted event without
 * `signatures` and `unsigned`. Throws UnknownRoomVersionError for an unknown room version and
 * CanonicalJsonError when the redacted event has no canonical form in that version. */
export function referenceHash(pdu: object, roomVersion: string): Uint8Array {
  return referenceHashWithVersion(pdu, requireRoomVersion(roomVersion));
}
