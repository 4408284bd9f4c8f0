// Registration token management for the operator (admin API): create, list, show, delete.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import {
  deleteRegistrationToken,
  getRegistrationToken,
  insertRegistrationToken,
  listRegistrationTokens,
  type StoredRegistrationToken,
} from '../../storage/registration-tokens.ts';
import { isRegistrationTokenSyntax } from './registration-token-syntax.ts';
import { isTokenUsable } from './token-validity.ts';

export interface RegistrationTokenView {
  token: string;
  uses_allowed: number | null;
  pending: number;
  completed: number;
  expiry_time: number | null;
  valid: boolean;
}

const CREATE_FIELDS = ['token', 'uses_allowed', 'expiry_time', 'length'];
const MAX_INT32 = 2 ** 31 - 1;

function view(token: StoredRegistrationToken, now: number): RegistrationTokenView {
  return {
    token: token.token,
    uses_allowed: token.usesAllowed,
    pending: token.pending,
    completed: token.completed,
    expiry_time: token.expiryTime,
    valid: isTokenUsable(token, now),
  };
}

function invalid(message: string): MatrixError {
  return new MatrixError('M_INVALID_PARAM', message);
}

/** `length` characters of the URL-safe base64 alphabet (6 random bits each). */
function randomToken(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4)).toString('base64url').slice(0, length);
}

function integerOrNull(value: unknown, name: string, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be null or an integer between ${min} and ${max}`);
  }
  return value;
}

export async function createRegistrationToken(db: Kysely<TenantDatabase>, body: unknown, now = Date.now()): Promise<RegistrationTokenView> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    if (body !== undefined) throw new MatrixError('M_BAD_JSON', 'The request body must be a JSON object');
  }
  const input = (body ?? {}) as Record<string, unknown>;
  const unknown = Object.keys(input).filter((k) => !CREATE_FIELDS.includes(k));
  if (unknown.length > 0) throw new MatrixError('M_BAD_JSON', `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  const usesAllowed = integerOrNull(input.uses_allowed, 'uses_allowed', 0, MAX_INT32);
  const expiryTime = integerOrNull(input.expiry_time, 'expiry_time', 0, Number.MAX_SAFE_INTEGER);
  if (expiryTime !== null && expiryTime <= now) throw invalid('expiry_time must be in the future');
  let token: string;
  if (input.token !== undefined) {
    if (input.length !== undefined) throw invalid('Give either token or length, not both');
    if (typeof input.token !== 'string' || !isRegistrationTokenSyntax(input.token)) {
      throw invalid('token must be 1-64 characters of A-Z, a-z, 0-9, ".", "_", "~" and "-"');
    }
    token = input.token;
  } else {
    const length = integerOrNull(input.length, 'length', 1, 64) ?? 16;
    token = randomToken(length);
  }
  if (!(await insertRegistrationToken(db, { token, usesAllowed, expiryTime, createdTs: now }))) {
    throw new MatrixError('TESSERA_REGISTRATION_TOKEN_EXISTS', `Registration token ${token} already exists`);
  }
  return view({ token, usesAllowed, expiryTime, pending: 0, completed: 0 }, now);
}

export async function listRegistrationTokenViews(db: Kysely<TenantDatabase>, valid: boolean | undefined, now = Date.now()): Promise<{ registration_tokens: RegistrationTokenView[] }> {
  const tokens = (await listRegistrationTokens(db)).map((t) => view(t, now));
  return { registration_tokens: valid === undefined ? tokens : tokens.filter((t) => t.valid === valid) };
}

export async function showRegistrationToken(db: Kysely<TenantDatabase>, token: string, now = Date.now()): Promise<RegistrationTokenView> {
  const stored = await getRegistrationToken(db, token);
  if (!stored) throw new MatrixError('M_NOT_FOUND', `No registration token ${token}`);
  return view(stored, now);
}

export async function removeRegistrationToken(db: Kysely<TenantDatabase>, token: string): Promise<Record<string, never>> {
  if (!(await deleteRegistrationToken(db, token))) throw new MatrixError('M_NOT_FOUND', `No registration token ${token}`);
  return {};
}
