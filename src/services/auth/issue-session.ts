// A new login session: a device (created unless the client names one it already has) and an
// access token for it, plus a refresh token when the client supports them. Reusing a device
// ID invalidates the tokens previously issued for that device.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { insertAccessToken } from '../../storage/access-tokens.ts';
import { ensureDevice } from '../../storage/devices.ts';
import { deleteDeviceRefreshTokens, insertRefreshToken } from '../../storage/refresh-tokens.ts';
import { deleteDeviceAccessTokens } from '../../storage/access-tokens.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { AccountDeps } from './deps.ts';
import { nowOf } from './deps.ts';
import { hashToken, newDeviceId, newToken } from './secrets.ts';

export interface IssuedSession {
  userId: string;
  deviceId: string;
  accessToken: string;
  refreshToken?: string;
  expiresInMs?: number;
  /** Drops cached tokens the session replaced; call once the transaction has committed. */
  afterCommit(): void;
}

export interface SessionRequest {
  userId: string;
  deviceId?: string;
  initialDisplayName?: string;
  refreshable: boolean;
}

export async function issueSession(
  tenant: TenantContext,
  db: Kysely<TenantDatabase> | Transaction<TenantDatabase>,
  deps: AccountDeps,
  request: SessionRequest,
): Promise<IssuedSession> {
  const now = nowOf(deps);
  const { userId } = request;
  const deviceId = request.deviceId ?? newDeviceId();
  const created = await ensureDevice(db, { userId, deviceId, displayName: request.initialDisplayName ?? null, createdTs: now });
  if (!created) {
    await deleteDeviceRefreshTokens(db, userId, deviceId);
    await deleteDeviceAccessTokens(db, userId, deviceId);
  }
  const tokens = await createTokens(db, deps, { userId, deviceId, refreshable: request.refreshable, now });
  return {
    userId,
    deviceId,
    ...tokens,
    afterCommit: () => {
      if (!created) tenant.caches.accessTokens?.forgetUser(userId, { deviceIds: [deviceId] });
    },
  };
}

/** An access token for an existing device, with a refresh token when `refreshable`. */
export async function createTokens(
  db: Kysely<TenantDatabase> | Transaction<TenantDatabase>,
  deps: AccountDeps,
  request: { userId: string; deviceId: string; refreshable: boolean; now: number },
): Promise<{ accessToken: string; refreshToken?: string; expiresInMs?: number; refreshTokenId?: string }> {
  const { userId, deviceId, now } = request;
  const accessToken = newToken('access');
  if (!request.refreshable) {
    await insertAccessToken(db, { tokenHash: hashToken(accessToken), userId, deviceId, createdTs: now, expiresTs: null, refreshTokenId: null });
    return { accessToken };
  }
  const refreshToken = newToken('refresh');
  const refreshTokenId = await insertRefreshToken(db, { tokenHash: hashToken(refreshToken), userId, deviceId, createdTs: now, expiresTs: null });
  const expiresInMs = deps.settings.refreshableAccessTokenLifetimeMs;
  await insertAccessToken(db, { tokenHash: hashToken(accessToken), userId, deviceId, createdTs: now, expiresTs: now + expiresInMs, refreshTokenId });
  return { accessToken, refreshToken, expiresInMs, refreshTokenId };
}
