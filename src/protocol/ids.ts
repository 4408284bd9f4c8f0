// Identifier grammar (spec appendices, "Common Identifier Format" and below): user IDs, room
// IDs, room aliases and event IDs. All are limited to 255 bytes of UTF-8 including the sigil.
// Parsers take untrusted strings and answer `undefined`/`false`, never throw.
import { isValidServerName } from './server-name.ts';
import { roomVersion as lookupRoomVersion } from './room-versions.ts';

export const MAX_ID_BYTES = 255;

/** How far a user ID's localpart follows the grammar (appendices, "User Identifiers" and
 * "Historical User IDs"):
 * - `current`: 1+ of a-z 0-9 . _ = - / + (what servers may create today);
 * - `historical-compliant`: non-empty, only U+0021–U+007E (e.g. upper case), still compliant;
 * - `non-compliant`: anything else legal for historical IDs (empty, controls, non-ASCII):
 *   accepted in events, not to be forwarded to clients outside an event. */
export type UserIdConformance = 'current' | 'historical-compliant' | 'non-compliant';

export interface ParsedUserId {
  localpart: string;
  /** As written: server names are case-sensitive in identifiers. */
  serverName: string;
  conformance: UserIdConformance;
}

export interface ParsedRoomAlias {
  localpart: string;
  serverName: string;
}

/** Room versions 1–11: `!opaque:domain`; 12+: `!` + URL-safe reference hash, no domain. */
export type ParsedRoomId =
  | { kind: 'domain'; localpart: string; serverName: string }
  | { kind: 'hash'; hash: string };

/** Event ID formats: v1/v2 `$opaque:domain`; v3 `$` + standard base64 hash; v4+ URL-safe. */
export type ParsedEventId =
  | { kind: 'domain'; localpart: string; serverName: string }
  | { kind: 'hash'; hash: string; urlSafe: boolean };

const CURRENT_USER_LOCALPART = /^[a-z0-9._=\-/+]+$/;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;
// A sha256 digest in unpadded base64 is 43 characters; the last carries 4 bits, so only
// characters whose low 2 bits are zero can end a canonical encoding.
const STANDARD_HASH = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]$/;
const URL_SAFE_HASH = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Localparts of room IDs, aliases, v1 event IDs and historical user IDs: any non-surrogate
 * code points except ":" and NUL. */
function isOpaqueLocalpart(text: string): boolean {
  return text.isWellFormed() && !text.includes(':') && !text.includes('\u0000');
}

/** Splits `&localpart:domain`; the localpart cannot hold ":", so the first colon separates. */
function splitSigilled(id: unknown, sigil: string): { localpart: string; serverName: string } | undefined {
  if (typeof id !== 'string' || !id.startsWith(sigil) || byteLength(id) > MAX_ID_BYTES) return undefined;
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const localpart = id.slice(1, colon);
  const serverName = id.slice(colon + 1);
  if (!isOpaqueLocalpart(localpart) || !isValidServerName(serverName)) return undefined;
  return { localpart, serverName };
}

/** Parses a user ID under the historical grammar every server must accept in events, and
 * reports how conformant its localpart is. */
export function parseUserId(id: unknown): ParsedUserId | undefined {
  const parts = splitSigilled(id, '@');
  if (!parts) return undefined;
  const { localpart } = parts;
  const conformance: UserIdConformance = CURRENT_USER_LOCALPART.test(localpart)
    ? 'current'
    : PRINTABLE_ASCII.test(localpart)
      ? 'historical-compliant'
      : 'non-compliant';
  return { ...parts, conformance };
}

/** A user ID a server may create today (current grammar, ≤ 255 bytes). */
export function isValidUserId(id: unknown): boolean {
  return parseUserId(id)?.conformance === 'current';
}

/** A user ID acceptable in an event's `sender`/`state_key`: the historical grammar. */
export function isHistoricalUserId(id: unknown): boolean {
  return parseUserId(id) !== undefined;
}

export function parseRoomAlias(alias: unknown): ParsedRoomAlias | undefined {
  return splitSigilled(alias, '#');
}

export function isValidRoomAlias(alias: unknown): boolean {
  return parseRoomAlias(alias) !== undefined;
}

/** Parses either room ID form; use isValidRoomId to hold a room ID to its room version. */
export function parseRoomId(id: unknown): ParsedRoomId | undefined {
  if (typeof id !== 'string' || !id.startsWith('!')) return undefined;
  if (!id.includes(':')) {
    const hash = id.slice(1);
    return URL_SAFE_HASH.test(hash) ? { kind: 'hash', hash } : undefined;
  }
  const parts = splitSigilled(id, '!');
  return parts && { kind: 'domain', ...parts };
}

/** A room ID in the form the room version uses (v12+: hash; earlier: with domain). Without a
 * room version, either form. An unknown room version is `false`. */
export function isValidRoomId(id: unknown, roomVersion?: string): boolean {
  const parsed = parseRoomId(id);
  if (!parsed) return false;
  if (roomVersion === undefined) return true;
  const version = lookupRoomVersion(roomVersion);
  if (!version) return false;
  return parsed.kind === (version.roomIdFromCreateEvent ? 'hash' : 'domain');
}

/** Parses any event ID form: `$opaque:domain`, or `$` + 43-character hash in either base64
 * alphabet (a hash using neither "+/" nor "-_" counts as URL-safe). */
export function parseEventId(id: unknown): ParsedEventId | undefined {
  if (typeof id !== 'string' || !id.startsWith('$')) return undefined;
  if (id.includes(':')) {
    const parts = splitSigilled(id, '$');
    return parts && { kind: 'domain', ...parts };
  }
  const hash = id.slice(1);
  if (URL_SAFE_HASH.test(hash)) return { kind: 'hash', hash, urlSafe: true };
  if (STANDARD_HASH.test(hash)) return { kind: 'hash', hash, urlSafe: false };
  return undefined;
}

/** An event ID in the form the room version uses. An unknown room version is `false`. */
export function isValidEventId(id: unknown, roomVersion: string): boolean {
  const version = lookupRoomVersion(roomVersion);
  const parsed = parseEventId(id);
  if (!version || !parsed) return false;
  switch (version.eventIdFormat) {
    case 'v1':
      return parsed.kind === 'domain';
    case 'v3':
      return parsed.kind === 'hash' && STANDARD_HASH.test(parsed.hash);
    case 'v4':
      return parsed.kind === 'hash' && parsed.urlSafe;
  }
}

/** The server name of a user ID, room alias, or room/event ID that has a domain; undefined for
 * hash-form IDs and anything malformed. Returned as written (case preserved). */
export function serverNameOf(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return undefined;
  const sigil = id[0] as string;
  if (!'@!#$'.includes(sigil)) return undefined;
  return splitSigilled(id, sigil)?.serverName;
}
