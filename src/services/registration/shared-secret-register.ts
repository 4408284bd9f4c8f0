// Synapse-compatible shared-secret registration (GET/POST /_synapse/admin/v1/register), so
// existing tooling (register_new_matrix_user, provisioning scripts) can create accounts,
// including admins. The MAC is HMAC-SHA1, keyed with the tenant's shared secret, over
//   nonce NUL username NUL password NUL ("admin" | "notadmin") [NUL user_type]
// in lower-case hex. Nonces are single use, expire after sharedSecretNonceLifetimeMs, and a
// request with a wrong MAC still uses its nonce up.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { MatrixError } from '../../errors/matrix-error.ts';
import { consumeNonce, deleteExpiredNonces, insertNonce } from '../../storage/shared-secret-nonces.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { createAccount } from '../accounts/create-account.ts';
import { checkNewPassword } from '../accounts/password-policy.ts';
import { sessionResult } from '../accounts/register.ts';
import { localUserId, localpartForUsername } from '../accounts/user-ids.ts';
import type { AccountDeps } from '../auth/deps.ts';
import { nowOf } from '../auth/deps.ts';
import { issueSession } from '../auth/issue-session.ts';
import { hashPassword } from '../auth/password-hash.ts';
import { randomId } from '../auth/secrets.ts';
import { registrationSharedSecret } from './shared-secret.ts';

export interface SharedSecretRegistration {
  nonce: string;
  username: string;
  password: string;
  admin: boolean;
  displayname?: string;
  userType?: string;
  mac: string;
}

export async function newRegistrationNonce(tenant: TenantContext, deps: AccountDeps): Promise<{ nonce: string }> {
  const now = nowOf(deps);
  await deleteExpiredNonces(tenant.db, now);
  const nonce = randomId(24);
  await insertNonce(tenant.db, nonce, now + deps.settings.sharedSecretNonceLifetimeMs);
  return { nonce };
}

export function registrationMac(secret: string, input: Omit<SharedSecretRegistration, 'mac' | 'displayname'>): string {
  const hmac = createHmac('sha1', Buffer.from(secret, 'utf8'));
  const parts = [input.nonce, input.username, input.password, input.admin ? 'admin' : 'notadmin'];
  if (input.userType !== undefined) parts.push(input.userType);
  hmac.update(parts.join('\u0000'), 'utf8');
  return hmac.digest('hex');
}

function macMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function registerWithSharedSecret(
  tenant: TenantContext,
  deps: AccountDeps,
  input: SharedSecretRegistration,
): Promise<{ user_id: string; home_server: string; access_token: string; device_id: string }> {
  const now = nowOf(deps);
  if (!(await consumeNonce(tenant.db, input.nonce, now))) throw new MatrixError('M_UNKNOWN', 'Unrecognised nonce', { status: 400 });
  const secret = await registrationSharedSecret(tenant.db, now);
  if (!macMatches(registrationMac(secret, input), input.mac)) throw new MatrixError('M_FORBIDDEN', 'HMAC incorrect');

  const localpart = localpartForUsername(tenant, input.username);
  checkNewPassword(input.password);
  const userId = localUserId(tenant, localpart);
  const passwordHash = await hashPassword(input.password, deps.settings.passwordHash);
  const session = await tenant.db.transaction().execute(async (trx) => {
    await createAccount(trx, {
      userId,
      localpart,
      passwordHash,
      createdTs: now,
      admin: input.admin,
      userType: input.userType ?? null,
      displayname: input.displayname,
    });
    return issueSession(tenant, trx, deps, { userId, refreshable: false });
  });
  session.afterCommit();
  tenant.log.info({ userId, admin: input.admin }, 'user registered with the shared secret');
  const { access_token, device_id } = sessionResult(session);
  return { user_id: userId, home_server: tenant.serverName, access_token, device_id };
}
