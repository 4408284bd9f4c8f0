// Single-use nonces of Synapse-compatible shared-secret registration (tenant table
// shared_secret_nonces), in the database so the nonce may be redeemed on any shard.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export async function insertNonce(db: Db, nonce: string, expiresTs: number): Promise<void> {
  await db.insertInto('shared_secret_nonces').values({ nonce, expires_ts: expiresTs }).execute();
}

/** Deletes the nonce; true if it existed and had not expired. */
export async function consumeNonce(db: Db, nonce: string, now: number): Promise<boolean> {
  const row = await db.deleteFrom('shared_secret_nonces').where('nonce', '=', nonce).returning('expires_ts').executeTakeFirst();
  return row !== undefined && Number(row.expires_ts) > now;
}

export async function deleteExpiredNonces(db: Db, now: number): Promise<void> {
  await db.deleteFrom('shared_secret_nonces').where('expires_ts', '<=', String(now)).execute();
}
