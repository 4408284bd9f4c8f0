// POST /_matrix/client/v3/refresh: trade a refresh token for a new access token and a new
// refresh token. The old refresh token stays usable until the new access or refresh token
// is first used (a client that lost the response can repeat the call); then it is deleted
// together with the access token it was issued with. Refreshing again with the old token
// before that replaces the first answer.
import { MatrixError } from '../../errors/matrix-error.ts';
import { accessTokenIdsOfRefreshTokens } from '../../storage/access-tokens.ts';
import { deleteRefreshTokens, findRefreshTokenForUpdate, predecessorsOf, setNextRefreshToken } from '../../storage/refresh-tokens.ts';
import { getUser } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { AccountDeps } from './deps.ts';
import { nowOf } from './deps.ts';
import { createTokens } from './issue-session.ts';
import { hashToken, looksLikeToken } from './secrets.ts';

export interface RefreshResult {
  access_token: string;
  refresh_token: string;
  expires_in_ms: number;
}

function unknownRefreshToken(softLogout = false): MatrixError {
  return new MatrixError('M_UNKNOWN_TOKEN', softLogout ? 'Refresh token has expired' : 'Unknown refresh token', softLogout ? { extra: { soft_logout: true } } : {});
}

export async function refreshAccessToken(tenant: TenantContext, deps: AccountDeps, refreshToken: string): Promise<RefreshResult> {
  if (!looksLikeToken('refresh', refreshToken)) throw unknownRefreshToken();
  const now = nowOf(deps);
  const { result, revoked } = await tenant.db.transaction().execute(async (trx) => {
    const stored = await findRefreshTokenForUpdate(trx, hashToken(refreshToken));
    if (!stored) throw unknownRefreshToken();
    if (stored.expiresTs !== null && stored.expiresTs <= now) throw unknownRefreshToken(true);
    const user = await getUser(trx, stored.userId);
    if (!user || user.deactivated) throw unknownRefreshToken();
    // Using this token proves the client has it: the token it replaced is done with.
    const replaced = await predecessorsOf(trx, stored.id);
    // A replacement issued earlier that the client never used is superseded by this one.
    const superseded = stored.nextTokenId === null ? [] : [stored.nextTokenId];
    const revokedIds = [...replaced, ...superseded];
    const revokedAccess = await accessTokenIdsOfRefreshTokens(trx, revokedIds);
    await deleteRefreshTokens(trx, revokedIds);
    const tokens = await createTokens(trx, deps, { userId: stored.userId, deviceId: stored.deviceId, refreshable: true, now });
    await setNextRefreshToken(trx, stored.id, tokens.refreshTokenId as string);
    return {
      result: { access_token: tokens.accessToken, refresh_token: tokens.refreshToken as string, expires_in_ms: tokens.expiresInMs as number },
      revoked: revokedAccess,
    };
  });
  tenant.caches.accessTokens?.forgetTokenIds(revoked);
  return result;
}
