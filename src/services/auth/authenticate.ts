// Who is calling: resolves an access token to its user and device. Lookups are cached per
// tenant (see token-cache.ts); the first use of a token issued by /refresh revokes the
// refresh token it replaced; the device's last-seen columns are written at most once per
// lastSeenIntervalMs per token.
import { MatrixError } from '../../errors/matrix-error.ts';
import { findAccessToken, accessTokenIdsOfRefreshTokens, markAccessTokenUsed } from '../../storage/access-tokens.ts';
import { touchDevice } from '../../storage/devices.ts';
import { deleteRefreshTokens, predecessorsOf } from '../../storage/refresh-tokens.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { AccountDeps } from './deps.ts';
import { nowOf } from './deps.ts';
import { hashToken, looksLikeToken } from './secrets.ts';
import { AccessTokenCache, type CachedToken } from './token-cache.ts';

/** The authenticated user of a request. */
export interface Requester {
  userId: string;
  deviceId: string;
  /** Database ID of the access token (never the token itself). */
  tokenId: string;
  isAdmin: boolean;
  isGuest: false;
}

export function unknownToken(softLogout = false): MatrixError {
  return new MatrixError(
    'M_UNKNOWN_TOKEN',
    softLogout ? 'Access token has expired' : 'Unrecognised access token',
    softLogout ? { extra: { soft_logout: true } } : {},
  );
}

export function tokenCacheOf(tenant: TenantContext, deps: AccountDeps): AccessTokenCache {
  tenant.caches.accessTokens ??= new AccessTokenCache(deps.settings.tokenCacheMaxEntries, deps.settings.tokenCacheTtlMs);
  return tenant.caches.accessTokens;
}

/** Throws 401 M_UNKNOWN_TOKEN for unknown, revoked or deactivated users' tokens, with
 * soft_logout for expired ones. */
export async function authenticateAccessToken(tenant: TenantContext, deps: AccountDeps, token: string): Promise<Requester> {
  if (!looksLikeToken('access', token)) throw unknownToken();
  const now = nowOf(deps);
  const hash = hashToken(token);
  const key = hash.toString('base64');
  const cache = tokenCacheOf(tenant, deps);
  const cached = cache.get(key, now);
  const entry = cached !== undefined && !cached.stale ? cached.entry : await loadToken(tenant, cache, hash, key, now, cached?.entry);
  if (entry.expiresTs !== null && entry.expiresTs <= now) throw unknownToken(true);
  if (deps.ip !== undefined && now - entry.lastSeenWrittenAt >= deps.settings.lastSeenIntervalMs) {
    entry.lastSeenWrittenAt = now;
    const { userId, deviceId } = entry;
    void touchDevice(tenant.db, userId, deviceId, now, deps.ip).catch((error: unknown) =>
      tenant.log.warn({ err: error }, 'could not record device last seen'),
    );
  }
  return { userId: entry.userId, deviceId: entry.deviceId, tokenId: entry.tokenId, isAdmin: entry.isAdmin, isGuest: false };
}

/** Reads a token from the database into the cache; throws for unknown, revoked and expired tokens. */
async function loadToken(
  tenant: TenantContext,
  cache: AccessTokenCache,
  hash: Buffer,
  key: string,
  now: number,
  stale: CachedToken | undefined,
): Promise<CachedToken> {
  const owner = await findAccessToken(tenant.db, hash);
  if (!owner || owner.deactivated) {
    cache.forgetToken(key);
    throw unknownToken();
  }
  if (owner.expiresTs !== null && owner.expiresTs <= now) throw unknownToken(true);
  if (!owner.used) await revokeReplacedRefreshToken(tenant, owner.tokenId, owner.refreshTokenId);
  const entry: CachedToken = {
    tokenId: owner.tokenId,
    userId: owner.userId,
    deviceId: owner.deviceId,
    isAdmin: owner.admin,
    expiresTs: owner.expiresTs,
    refreshTokenId: owner.refreshTokenId,
    loadedAt: now,
    // Reloading does not reset the last-seen throttle.
    lastSeenWrittenAt: stale?.lastSeenWrittenAt ?? 0,
  };
  cache.set(key, entry);
  return entry;
}

/** First use of a token issued by /refresh: the refresh token it replaced (and that one's
 * access token) stop working now. */
async function revokeReplacedRefreshToken(tenant: TenantContext, tokenId: string, refreshTokenId: string | null): Promise<void> {
  const revokedAccessTokens = await tenant.db.transaction().execute(async (trx) => {
    if (!(await markAccessTokenUsed(trx, tokenId)) || refreshTokenId === null) return [];
    const predecessors = await predecessorsOf(trx, refreshTokenId);
    const accessTokenIds = await accessTokenIdsOfRefreshTokens(trx, predecessors);
    await deleteRefreshTokens(trx, predecessors);
    return accessTokenIds;
  });
  tenant.caches.accessTokens?.forgetTokenIds(revokedAccessTokens);
}
