// POST /_matrix/client/v3/register: account registration with user-interactive auth. The
// tenant's registration mode picks the flow: "open" m.login.dummy, "token"
// m.login.registration_token, "closed" refuses. Username checks come before UIA, as the
// spec requires; the account, the token use and the first login are one transaction.
import { MatrixError } from '../../errors/matrix-error.ts';
import { completeRegistrationTokenUse } from '../../storage/registration-tokens.ts';
import { userExists } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { AccountDeps } from '../auth/deps.ts';
import { nowOf } from '../auth/deps.ts';
import { issueSession, type IssuedSession } from '../auth/issue-session.ts';
import { hashPassword } from '../auth/password-hash.ts';
import { randomId } from '../auth/secrets.ts';
import { STAGE_DUMMY, STAGE_REGISTRATION_TOKEN, finishUiaSession, userInteractiveAuth, type UiaPolicy } from '../auth/uia.ts';
import { createAccount } from './create-account.ts';
import { checkNewPassword } from './password-policy.ts';
import { localUserId, localpartForUsername } from './user-ids.ts';

export interface RegisterInput {
  kind: string;
  username?: string;
  password?: string;
  deviceId?: string;
  initialDeviceDisplayName?: string;
  inhibitLogin: boolean;
  refreshToken: boolean;
  auth: unknown;
}

export interface RegisterResult {
  user_id: string;
  home_server: string;
  access_token?: string;
  device_id?: string;
  refresh_token?: string;
  expires_in_ms?: number;
}

export function registrationPolicy(tenant: TenantContext): UiaPolicy {
  const stage = tenant.config.registration === 'token' ? STAGE_REGISTRATION_TOKEN : STAGE_DUMMY;
  return { operation: 'register', flows: [[stage]] };
}

/** Throws 403 unless this tenant lets users register. */
export function ensureRegistrationEnabled(tenant: TenantContext): void {
  if (tenant.config.registration === 'closed') throw new MatrixError('M_FORBIDDEN', 'Registration is disabled on this server');
}

function generatedLocalpart(): string {
  // 15 random bytes → 20 base64url characters, lower-cased into the localpart alphabet.
  return `u${randomId(15).toLowerCase().replace(/[^a-z0-9]/g, '0')}`;
}

export function sessionResult(session: IssuedSession): Required<Pick<RegisterResult, 'access_token' | 'device_id'>> &
  Pick<RegisterResult, 'refresh_token' | 'expires_in_ms'> {
  return {
    access_token: session.accessToken,
    device_id: session.deviceId,
    ...(session.refreshToken !== undefined ? { refresh_token: session.refreshToken } : {}),
    ...(session.expiresInMs !== undefined ? { expires_in_ms: session.expiresInMs } : {}),
  };
}

export async function register(tenant: TenantContext, deps: AccountDeps, input: RegisterInput): Promise<RegisterResult> {
  if (input.kind === 'guest') throw new MatrixError('M_GUEST_ACCESS_FORBIDDEN', 'Guest accounts are not available on this server');
  if (input.kind !== 'user') throw new MatrixError('M_INVALID_PARAM', 'kind must be "user" or "guest"');
  ensureRegistrationEnabled(tenant);

  let localpart: string | undefined;
  if (input.username !== undefined) {
    localpart = localpartForUsername(tenant, input.username);
    if (await userExists(tenant.db, localUserId(tenant, localpart))) throw new MatrixError('M_USER_IN_USE', 'Desired user ID is already taken.');
  }
  if (input.password !== undefined) checkNewPassword(input.password);

  const uia = await userInteractiveAuth(tenant, deps, registrationPolicy(tenant), input.auth);
  if (input.password === undefined) throw new MatrixError('M_MISSING_PARAM', 'password is required');
  const passwordHash = await hashPassword(input.password, deps.settings.passwordHash);
  localpart ??= generatedLocalpart();
  const userId = localUserId(tenant, localpart);
  const now = nowOf(deps);

  const session = await tenant.db.transaction().execute(async (trx) => {
    await finishUiaSession(trx, uia.sessionId);
    if (uia.data.registration_token !== undefined) await completeRegistrationTokenUse(trx, uia.data.registration_token);
    await createAccount(trx, { userId, localpart, passwordHash, createdTs: now });
    if (input.inhibitLogin) return undefined;
    return issueSession(tenant, trx, deps, {
      userId,
      deviceId: input.deviceId,
      initialDisplayName: input.initialDeviceDisplayName,
      refreshable: input.refreshToken,
    });
  });
  session?.afterCommit();
  tenant.log.info({ userId }, 'user registered');
  return { user_id: userId, home_server: tenant.serverName, ...(session ? sessionResult(session) : {}) };
}
