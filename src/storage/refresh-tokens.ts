// Refresh tokens (tenant table refresh_tokens), stored as SHA-256 hashes only. Deleting a
// refresh token deletes the access tokens issued with it (ON DELETE CASCADE).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredRefreshToken {
  id: string;
  userId: string;
  deviceId: string;
  expiresTs: number | null;
  nextTokenId: string | null;
}

/** The refresh token with this hash, locked for update when inside a transaction. */
export async function findRefreshTokenForUpdate(db: Transaction<TenantDatabase>, tokenHash: Buffer): Promise<StoredRefreshToken | undefined> {
  const row = await db
    .selectFrom('refresh_tokens')
    .select(['id', 'user_id', 'device_id', 'expires_ts', 'next_token_id'])
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    userId: row.user_id,
    deviceId: row.device_id,
    expiresTs: row.expires_ts === null ? null : Number(row.expires_ts),
    nextTokenId: row.next_token_id,
  };
}

export async function insertRefreshToken(
  db: Db,
  token: { tokenHash: Buffer; userId: string; deviceId: string; createdTs: number; expiresTs: number | null },
): Promise<string> {
  const row = await db
    .insertInto('refresh_tokens')
    .values({ token_hash: token.tokenHash, user_id: token.userId, device_id: token.deviceId, created_ts: token.createdTs, expires_ts: token.expiresTs })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setNextRefreshToken(db: Db, id: string, nextTokenId: string): Promise<void> {
  await db.updateTable('refresh_tokens').set({ next_token_id: nextTokenId }).where('id', '=', id).execute();
}

/** Deletes refresh tokens by ID (their access tokens go with them); returns the IDs deleted. */
export async function deleteRefreshTokens(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.deleteFrom('refresh_tokens').where('id', 'in', [...ids]).returning('id').execute();
  return rows.map((r) => r.id);
}

/** IDs of the refresh tokens that `id` replaced (normally at most one). */
export async function predecessorsOf(db: Db, id: string): Promise<string[]> {
  const rows = await db.selectFrom('refresh_tokens').select('id').where('next_token_id', '=', id).execute();
  return rows.map((r) => r.id);
}

export async function deleteDeviceRefreshTokens(db: Db, userId: string, deviceId: string): Promise<void> {
  await db.deleteFrom('refresh_tokens').where('user_id', '=', userId).where('device_id', '=', deviceId).execute();
}
