// Access tokens (tenant table access_tokens), stored as SHA-256 hashes only.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface AccessTokenOwner {
  tokenId: string;
  userId: string;
  deviceId: string;
  expiresTs: number | null;
  refreshTokenId: string | null;
  used: boolean;
  deactivated: boolean;
  admin: boolean;
}

/** The token with this hash and its user's status. */
export async function findAccessToken(db: Db, tokenHash: Buffer): Promise<AccessTokenOwner | undefined> {
  const row = await db
    .selectFrom('access_tokens as t')
    .innerJoin('users as u', 'u.user_id', 't.user_id')
    .select(['t.id', 't.user_id', 't.device_id', 't.expires_ts', 't.refresh_token_id', 't.used', 'u.deactivated', 'u.admin'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tokenId: row.id,
    userId: row.user_id,
    deviceId: row.device_id,
    expiresTs: row.expires_ts === null ? null : Number(row.expires_ts),
    refreshTokenId: row.refresh_token_id,
    used: row.used,
    deactivated: row.deactivated,
    admin: row.admin,
  };
}

export async function insertAccessToken(
  db: Db,
  token: { tokenHash: Buffer; userId: string; deviceId: string; createdTs: number; expiresTs: number | null; refreshTokenId: string | null },
): Promise<string> {
  const row = await db
    .insertInto('access_tokens')
    .values({
      token_hash: token.tokenHash,
      user_id: token.userId,
      device_id: token.deviceId,
      created_ts: token.createdTs,
      expires_ts: token.expiresTs,
      refresh_token_id: token.refreshTokenId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Marks a token used; true if this call was the first to do so. */
export async function markAccessTokenUsed(db: Db, tokenId: string): Promise<boolean> {
  const result = await db.updateTable('access_tokens').set({ used: true }).where('id', '=', tokenId).where('used', '=', false).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function deleteAccessToken(db: Db, tokenId: string): Promise<void> {
  await db.deleteFrom('access_tokens').where('id', '=', tokenId).execute();
}

/** Deletes the access tokens of one device; returns their IDs. */
export async function deleteDeviceAccessTokens(db: Db, userId: string, deviceId: string): Promise<string[]> {
  const rows = await db.deleteFrom('access_tokens').where('user_id', '=', userId).where('device_id', '=', deviceId).returning('id').execute();
  return rows.map((r) => r.id);
}

/** IDs of the access tokens issued with any of these refresh tokens. */
export async function accessTokenIdsOfRefreshTokens(db: Db, refreshTokenIds: readonly string[]): Promise<string[]> {
  if (refreshTokenIds.length === 0) return [];
  const rows = await db.selectFrom('access_tokens').select('id').where('refresh_token_id', 'in', [...refreshTokenIds]).execute();
  return rows.map((r) => r.id);
}
