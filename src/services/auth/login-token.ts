// m.login.token: POST /_matrix/client/v1/login/get_token issues a short-lived, single-use
// token (after UIA, re-prompted every time) that another client redeems at POST /login.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getUser } from '../../storage/users.ts';
import { consumeLoginToken, deleteExpiredLoginTokens, insertLoginToken } from '../../storage/login-tokens.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from './authenticate.ts';
import type { AccountDeps } from './deps.ts';
import { nowOf } from './deps.ts';
import { hashToken, looksLikeToken, newToken } from './secrets.ts';
import { STAGE_PASSWORD, finishUiaSession, userInteractiveAuth } from './uia.ts';

export async function issueLoginToken(
  tenant: TenantContext,
  deps: AccountDeps,
  requester: Requester,
  auth: unknown,
): Promise<{ login_token: string; expires_in_ms: number }> {
  const uia = await userInteractiveAuth(tenant, deps, { operation: 'get_login_token', flows: [[STAGE_PASSWORD]], userId: requester.userId }, auth);
  const now = nowOf(deps);
  const token = newToken('login');
  const lifetime = deps.settings.loginTokenLifetimeMs;
  await tenant.db.transaction().execute(async (trx) => {
    await finishUiaSession(trx, uia.sessionId);
    await deleteExpiredLoginTokens(trx, now);
    await insertLoginToken(trx, { tokenHash: hashToken(token), userId: requester.userId, createdTs: now, expiresTs: now + lifetime });
  });
  return { login_token: token, expires_in_ms: lifetime };
}

/** The user a login token was issued to; consumes the token. 403 M_FORBIDDEN when unknown,
 * used or expired (such failures count against the caller's IP like wrong passwords). */
export async function redeemLoginToken(tenant: TenantContext, deps: AccountDeps, token: string): Promise<string> {
  const { limiter, ip } = deps;
  if (ip !== undefined) limiter?.check('loginFailuresPerIp', ip);
  const userId = looksLikeToken('login', token) ? await consumeLoginToken(tenant.db, hashToken(token), nowOf(deps)) : undefined;
  const user = userId === undefined ? undefined : await getUser(tenant.db, userId);
  if (!user || user.deactivated) {
    if (ip !== undefined) limiter?.consume('loginFailuresPerIp', ip);
    throw new MatrixError('M_FORBIDDEN', 'Invalid login token');
  }
  return user.userId;
}
