// User IDs as the authorisation rules need them: the historical grammar servers must accept
// in events (../ids.ts, the same validation event-format checks apply to `sender`), so that
// v12 additional_creators and power level `users` keys are held to exactly that standard.
import { parseUserId } from '../ids.ts';

/** The server name of a user ID that follows the (historical) grammar, else undefined. */
export function userIdDomain(userId: unknown): string | undefined {
  return parseUserId(userId)?.serverName;
}

export function isValidUserId(userId: unknown): userId is string {
  return parseUserId(userId) !== undefined;
}

/** The domain part of a v1/v2 event ID or a pre-v12 room ID ("$opaque:domain",
 * "!opaque:domain"): everything after the first colon, compared as written. Undefined if
 * there is none. Deliberately lenient: it only feeds equality checks against a sender's
 * (validated) server name, so a malformed domain can never match. */
export function sigilIdDomain(id: unknown, sigil: '$' | '!'): string | undefined {
  if (typeof id !== 'string' || !id.startsWith(sigil)) return undefined;
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const domain = id.slice(colon + 1);
  return domain === '' ? undefined : domain;
}
