// A tenant's signing keys (tenant schema table signing_keys).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredSigningKey {
  keyId: string;
  seed: Uint8Array;
  publicKey: string;
  createdTs: number;
  expiredTs: number | null;
}

export async function listSigningKeys(db: Db): Promise<StoredSigningKey[]> {
  const rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_ts').execute();
  return rows.map((r) => ({
    keyId: r.key_id,
    seed: new Uint8Array(r.seed),
    publicKey: r.public_key,
    createdTs: Number(r.created_ts),
    expiredTs: r.expired_ts === null ? null : Number(r.expired_ts),
  }));
}

export async function insertSigningKey(db: Db, key: { keyId: string; seed: Uint8Array; publicKey: string; createdTs: number }): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({ key_id: key.keyId, seed: Buffer.from(key.seed), public_key: key.publicKey, created_ts: key.createdTs })
    .execute();
}

/** Marks every current key expired at `ts`; they move to old_verify_keys. */
export async function expireCurrentSigningKeys(db: Db, ts: number): Promise<void> {
  await db.updateTable('signing_keys').set({ expired_ts: ts }).where('expired_ts', 'is', null).execute();
}
