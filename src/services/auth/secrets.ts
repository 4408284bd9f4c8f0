// Opaque credentials: access, refresh and login tokens, device IDs, UIA session IDs, nonces.
// Tokens carry 256 random bits behind a kind prefix (recognisable in leaked logs and by
// secret scanners); only their SHA-256 is stored, which is safe for inputs this random.
import { createHash, randomBytes, randomInt } from 'node:crypto';

export type TokenKind = 'access' | 'refresh' | 'login';

const PREFIX: Record<TokenKind, string> = { access: 'tsat_', refresh: 'tsrt_', login: 'tslt_' };
const BODY = /^[A-Za-z0-9_-]{43}$/;

export function newToken(kind: TokenKind): string {
  return PREFIX[kind] + randomBytes(32).toString('base64url');
}

/** Whether a string could be a token of this kind; anything else is rejected without a lookup. */
export function looksLikeToken(kind: TokenKind, token: string): boolean {
  return token.startsWith(PREFIX[kind]) && BODY.test(token.slice(PREFIX[kind].length));
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

const DEVICE_ID_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ten upper-case letters, as clients are used to seeing. */
export function newDeviceId(): string {
  let id = '';
  for (let i = 0; i < 10; i++) id += DEVICE_ID_LETTERS[randomInt(DEVICE_ID_LETTERS.length)];
  return id;
}

/** A random URL-safe identifier with `bytes` bytes of entropy. */
export function randomId(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
