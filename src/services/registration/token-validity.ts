// GET /_matrix/client/v1/register/m.login.registration_token/validity: whether a token
// could register an account now (a point-in-time answer; it reserves nothing).
import { MatrixError } from '../../errors/matrix-error.ts';
import { getRegistrationToken, type StoredRegistrationToken } from '../../storage/registration-tokens.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { isRegistrationTokenSyntax } from './registration-token-syntax.ts';

export function isTokenUsable(token: StoredRegistrationToken, now: number): boolean {
  if (token.expiryTime !== null && token.expiryTime <= now) return false;
  return token.usesAllowed === null || token.pending + token.completed < token.usesAllowed;
}

export async function registrationTokenValidity(tenant: TenantContext, token: string, now: number): Promise<{ valid: boolean }> {
  if (tenant.config.registration !== 'token') {
    throw new MatrixError('M_FORBIDDEN', 'Registration with tokens is not enabled on this server');
  }
  if (!isRegistrationTokenSyntax(token)) return { valid: false };
  const stored = await getRegistrationToken(tenant.db, token);
  return { valid: stored !== undefined && isTokenUsable(stored, now) };
}
