// POST /_matrix/client/v3/login: m.login.password (identifier m.id.user or the deprecated
// `user` field) and m.login.token. GET /login lists the same types.
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { sessionResult } from '../accounts/register.ts';
import type { AccountDeps } from './deps.ts';
import { issueSession } from './issue-session.ts';
import { redeemLoginToken } from './login-token.ts';
import { checkPassword, userIdFromIdentifier } from './password-check.ts';

export const LOGIN_FLOWS = [{ type: 'm.login.password' }, { type: 'm.login.token', get_login_token: true }];

export interface LoginInput {
  type: string;
  /** The whole body: the fields each login type reads (identifier, user, password, token). */
  body: Record<string, unknown>;
  deviceId?: string;
  initialDeviceDisplayName?: string;
  refreshToken: boolean;
}

export interface LoginResult {
  user_id: string;
  access_token: string;
  device_id: string;
  home_server: string;
  refresh_token?: string;
  expires_in_ms?: number;
  well_known: { 'm.homeserver': { base_url: string } };
}

async function authenticate(tenant: TenantContext, deps: AccountDeps, input: LoginInput): Promise<string> {
  const { body } = input;
  switch (input.type) {
    case 'm.login.password': {
      const userId = userIdFromIdentifier(tenant, body);
      if (body.password === undefined) throw new MatrixError('M_MISSING_PARAM', 'password is required');
      if (typeof body.password !== 'string') throw new MatrixError('M_BAD_JSON', 'password must be a string');
      await checkPassword(tenant, deps, userId, body.password);
      return userId;
    }
    case 'm.login.token': {
      if (body.token === undefined) throw new MatrixError('M_MISSING_PARAM', 'token is required');
      if (typeof body.token !== 'string') throw new MatrixError('M_BAD_JSON', 'token must be a string');
      return redeemLoginToken(tenant, deps, body.token);
    }
    default:
      throw new MatrixError('M_UNKNOWN', 'Bad login type.', { status: 400 });
  }
}

export async function login(tenant: TenantContext, deps: AccountDeps, input: LoginInput): Promise<LoginResult> {
  const userId = await authenticate(tenant, deps, input);
  const session = await tenant.db.transaction().execute((trx) =>
    issueSession(tenant, trx, deps, {
      userId,
      deviceId: input.deviceId,
      initialDisplayName: input.initialDeviceDisplayName,
      refreshable: input.refreshToken,
    }),
  );
  session.afterCommit();
  return {
    user_id: userId,
    home_server: tenant.serverName,
    ...sessionResult(session),
    well_known: { 'm.homeserver': { base_url: tenant.config.publicBaseUrl } },
  };
}
