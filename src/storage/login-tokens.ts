// Single-use m.login.token tokens (tenant table login_tokens), stored as SHA-256 hashes.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export async function insertLoginToken(db: Db, token: { tokenHash: Buffer; userId: string; createdTs: number; expiresTs: number }): Promise<void> {
  await db
    .insertInto('login_tokens')
    .values({ token_hash: token.tokenHash, user_id: token.userId, created_ts: token.createdTs, expires_ts: token.expiresTs })
    .execute();
}

/** Deletes the token and returns its user if it had not expired: a token works once. */
export async function consumeLoginToken(db: Db, tokenHash: Buffer, now: number): Promise<string | undefined> {
  const row = await db.deleteFrom('login_tokens').where('token_hash', '=', tokenHash).returning(['user_id', 'expires_ts']).executeTakeFirst();
  if (!row || Number(row.expires_ts) <= now) return undefined;
  return row.user_id;
}

export async function deleteExpiredLoginTokens(db: Db, now: number): Promise<void> {
  await db.deleteFrom('login_tokens').where('expires_ts', '<=', String(now)).execute();
}

export async function deleteUserLoginTokens(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('login_tokens').where('user_id', '=', userId).execute();
}
