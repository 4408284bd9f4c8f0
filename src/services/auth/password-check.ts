// Who is logging in, and is the password right: shared by POST /login and the
// m.login.password UIA stage. Failed checks count against per-user and per-IP buckets, so
// guessing a password is rate limited however the attempts are spread.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getUser, replacePasswordHash, type StoredUser } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { resolveLocalUserId } from '../accounts/user-ids.ts';
import type { AccountDeps } from './deps.ts';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password-hash.ts';

export function invalidCredentials(): MatrixError {
  return new MatrixError('M_FORBIDDEN', 'Invalid username or password');
}

function noThirdParty(): MatrixError {
  return new MatrixError('M_FORBIDDEN', 'No account is bound to this third-party identifier');
}

/** The local user an `identifier` object (or the deprecated `user`, `medium`/`address`
 * fields) names. Throws 400 for malformed input, 403 for IDs that cannot be ours. */
export function userIdFromIdentifier(tenant: Pick<TenantContext, 'serverName'>, body: Record<string, unknown>): string {
  const { identifier } = body;
  let user: unknown;
  if (identifier !== undefined) {
    if (typeof identifier !== 'object' || identifier === null || Array.isArray(identifier)) {
      throw new MatrixError('M_BAD_JSON', 'identifier must be an object');
    }
    const fields = identifier as Record<string, unknown>;
    if (typeof fields.type !== 'string') throw new MatrixError('M_BAD_JSON', 'identifier.type must be a string');
    if (fields.type === 'm.id.thirdparty' || fields.type === 'm.id.phone') throw noThirdParty();
    if (fields.type !== 'm.id.user') throw new MatrixError('M_UNKNOWN', `Unknown identifier type ${fields.type}`, { status: 400 });
    user = fields.user;
    if (user === undefined) throw new MatrixError('M_MISSING_PARAM', 'identifier.user is required');
  } else if (body.user !== undefined) {
    user = body.user;
  } else if (body.medium !== undefined || body.address !== undefined) {
    throw noThirdParty();
  } else {
    throw new MatrixError('M_MISSING_PARAM', 'identifier is required');
  }
  if (typeof user !== 'string') throw new MatrixError('M_BAD_JSON', 'The user must be a string');
  const userId = resolveLocalUserId(tenant, user);
  if (userId === undefined) throw invalidCredentials();
  return userId;
}

/** Checks a user's password. Throws 429 while too many recent attempts failed, 403
 * M_USER_DEACTIVATED for deactivated accounts, 403 M_FORBIDDEN for a wrong password or
 * unknown user (the two take equally long). */
export async function checkPassword(tenant: TenantContext, deps: AccountDeps, userId: string, password: string): Promise<StoredUser> {
  const { limiter, ip } = deps;
  limiter?.check('loginFailuresPerUser', userId);
  if (ip !== undefined) limiter?.check('loginFailuresPerIp', ip);
  const user = await getUser(tenant.db, userId);
  if (user?.deactivated) throw new MatrixError('M_USER_DEACTIVATED', 'This account has been deactivated');
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : (await burnPasswordCheck(password, deps.settings.passwordHash), false);
  if (!user || !ok) {
    limiter?.consume('loginFailuresPerUser', userId);
    if (ip !== undefined) limiter?.consume('loginFailuresPerIp', ip);
    throw invalidCredentials();
  }
  const stored = user.passwordHash;
  if (stored && needsRehash(stored, deps.settings.passwordHash)) {
    // Upgrade to the current parameters while the password is at hand; failure is harmless.
    void hashPassword(password, deps.settings.passwordHash)
      .then((hash) => replacePasswordHash(tenant.db, userId, stored, hash))
      .catch((error: unknown) => tenant.log.warn({ err: error }, 'password rehash failed'));
  }
  return user;
}
