// User IDs as the authorisation rules need them (spec appendices, "User Identifiers" and
// "Historical User IDs"): servers must accept historical localparts — any code points but
// ":" and NUL, even empty — so validation is that grammar, not the strict modern one.
// Local to auth until src/protocol/ids.ts (owned by the encoding side) provides the same.
import { parseServerName } from '../server-name.ts';

const MAX_USER_ID_BYTES = 255;

function hasLoneSurrogate(text: string): boolean {
  return !text.isWellFormed();
}

/** The server name of a user ID that follows the (historical) grammar, else undefined. */
export function userIdDomain(userId: unknown): string | undefined {
  if (typeof userId !== 'string' || !userId.startsWith('@')) return undefined;
  if (Buffer.byteLength(userId, 'utf8') > MAX_USER_ID_BYTES) return undefined;
  const colon = userId.indexOf(':');
  if (colon < 0) return undefined;
  const localpart = userId.slice(1, colon);
  if (localpart.includes('\u0000') || hasLoneSurrogate(localpart)) return undefined;
  const domain = userId.slice(colon + 1);
  return parseServerName(domain) === undefined ? undefined : domain;
}

export function isValidUserId(userId: unknown): userId is string {
  return userIdDomain(userId) !== undefined;
}

/** The domain part of a v1/v2 event ID or a pre-v12 room ID ("$opaque:domain",
 * "!opaque:domain"): everything after the first colon. Undefined if there is none. */
export function sigilIdDomain(id: unknown, sigil: '$' | '!'): string | undefined {
  if (typeof id !== 'string' || !id.startsWith(sigil)) return undefined;
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const domain = id.slice(colon + 1);
  return domain === '' ? undefined : domain;
}
