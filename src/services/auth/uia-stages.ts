// The UIA stage types Tessera offers: m.login.dummy, m.login.password (identifier m.id.user)
// and m.login.registration_token (reserves one use of the token until registration
// completes or the session expires).
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { MatrixError, type Errcode } from '../../errors/matrix-error.ts';
import { reserveRegistrationToken } from '../../storage/registration-tokens.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { AccountDeps } from './deps.ts';
import { nowOf } from './deps.ts';
import { checkPassword, userIdFromIdentifier } from './password-check.ts';
import { isRegistrationTokenSyntax } from '../registration/registration-token-syntax.ts';
import type { UiaPolicy } from './uia.ts';

export type StageOutcome = { ok: true; data?: Record<string, unknown> } | { ok: false; errcode: Errcode; error: string };

async function passwordStage(tenant: TenantContext, deps: AccountDeps, policy: UiaPolicy, auth: Record<string, unknown>): Promise<StageOutcome> {
  if (auth.password === undefined) throw new MatrixError('M_MISSING_PARAM', 'auth.password is required');
  if (typeof auth.password !== 'string') throw new MatrixError('M_BAD_JSON', 'auth.password must be a string');
  try {
    // A signed-in user may leave out the identifier: it can only be themselves.
    const implied = auth.identifier === undefined && auth.user === undefined && policy.userId !== undefined;
    const userId = implied ? (policy.userId as string) : userIdFromIdentifier(tenant, auth);
    if (policy.userId !== undefined && userId !== policy.userId) {
      return { ok: false, errcode: 'M_FORBIDDEN', error: 'You can only authenticate as the signed-in user' };
    }
    await checkPassword(tenant, deps, userId, auth.password);
    return { ok: true };
  } catch (error) {
    // Wrong credentials are a failed attempt at this stage (401 with errcode); malformed
    // input (400) and rate limits (429) are answered as themselves.
    if (error instanceof MatrixError && error.status === 403) return { ok: false, errcode: error.errcode, error: error.message };
    throw error;
  }
}

async function registrationTokenStage(
  trx: Transaction<TenantDatabase>,
  deps: AccountDeps,
  auth: Record<string, unknown>,
): Promise<StageOutcome> {
  if (typeof auth.token !== 'string') throw new MatrixError('M_MISSING_PARAM', 'auth.token is required');
  if (isRegistrationTokenSyntax(auth.token) && (await reserveRegistrationToken(trx, auth.token, nowOf(deps)))) {
    return { ok: true, data: { registration_token: auth.token } };
  }
  return { ok: false, errcode: 'M_UNAUTHORIZED', error: 'Invalid registration token' };
}

/**
 * Runs a stage. Stages that only check credentials (the password: a deliberately slow hash)
 * run before the session's transaction so no database connection is held meanwhile; stages
 * that change data (reserving a registration token) run inside it, given `trx`.
 */
export async function runStage(
  tenant: TenantContext,
  trx: Transaction<TenantDatabase> | undefined,
  deps: AccountDeps,
  policy: UiaPolicy,
  type: string,
  auth: Record<string, unknown>,
): Promise<StageOutcome | 'needs-transaction'> {
  switch (type) {
    case 'm.login.dummy':
      return { ok: true };
    case 'm.login.password':
      return passwordStage(tenant, deps, policy, auth);
    case 'm.login.registration_token':
      if (trx === undefined) {
        if (typeof auth.token !== 'string') throw new MatrixError('M_MISSING_PARAM', 'auth.token is required');
        return 'needs-transaction';
      }
      return registrationTokenStage(trx, deps, auth);
    default:
      return { ok: false, errcode: 'M_UNRECOGNIZED', error: `Unsupported authentication type ${type}` };
  }
}
