// Users' cross-signing keys (table cross_signing_keys, the current key per usage) and the
// signatures uploaded separately (table e2e_signatures).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export type CrossSigningUsage = 'master' | 'self_signing' | 'user_signing';

export interface StoredCrossSigningKey {
  userId: string;
  usage: CrossSigningUsage;
  /** `ed25519:<public key>` */
  keyId: string;
  key: Record<string, unknown>;
}

/** The current keys of the given users and usages. */
export async function crossSigningKeysOf(db: Db, userIds: readonly string[], usages: readonly CrossSigningUsage[]): Promise<StoredCrossSigningKey[]> {
  if (userIds.length === 0 || usages.length === 0) return [];
  const rows = await db
    .selectFrom('cross_signing_keys')
    .select(['user_id', 'usage', 'key_id', 'key_json'])
    .where('user_id', 'in', [...new Set(userIds)])
    .where('usage', 'in', [...usages])
    .execute();
  return rows.map((r) => ({ userId: r.user_id, usage: r.usage as CrossSigningUsage, keyId: r.key_id, key: r.key_json }));
}

/** One user's current keys by usage; with `forUpdate` inside a transaction, locked. */
export async function ownCrossSigningKeys(db: Db, userId: string, options: { forUpdate?: boolean } = {}): Promise<Map<CrossSigningUsage, StoredCrossSigningKey>> {
  let query = db.selectFrom('cross_signing_keys').select(['user_id', 'usage', 'key_id', 'key_json']).where('user_id', '=', userId);
  if (options.forUpdate) query = query.forUpdate();
  const rows = await query.execute();
  return new Map(rows.map((r) => [r.usage as CrossSigningUsage, { userId: r.user_id, usage: r.usage as CrossSigningUsage, keyId: r.key_id, key: r.key_json }]));
}

export async function putCrossSigningKey(trx: Transaction<TenantDatabase>, key: StoredCrossSigningKey, streamId: number): Promise<void> {
  const values = { key_id: key.keyId, key_json: JSON.stringify(key.key), stream_id: streamId };
  await trx
    .insertInto('cross_signing_keys')
    .values({ user_id: key.userId, usage: key.usage, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'usage']).doUpdateSet(values))
    .execute();
}

export interface StoredSignature {
  targetUserId: string;
  /** A device ID or a master key's public key. */
  targetKeyId: string;
  signerUserId: string;
  signerKeyId: string;
  signature: string;
}

export async function putSignatures(trx: Transaction<TenantDatabase>, signatures: readonly StoredSignature[]): Promise<void> {
  if (signatures.length === 0) return;
  await trx
    .insertInto('e2e_signatures')
    .values(
      signatures.map((s) => ({
        target_user_id: s.targetUserId,
        target_key_id: s.targetKeyId,
        signer_user_id: s.signerUserId,
        signer_key_id: s.signerKeyId,
        signature: s.signature,
      })),
    )
    .onConflict((oc) => oc.columns(['target_user_id', 'target_key_id', 'signer_user_id', 'signer_key_id']).doUpdateSet((eb) => ({ signature: eb.ref('excluded.signature') })))
    .execute();
}

/** Drops the signatures on a device's keys (they no longer sign what is stored). */
export async function deleteSignaturesOf(trx: Transaction<TenantDatabase>, targetUserId: string, targetKeyId: string): Promise<void> {
  await trx.deleteFrom('e2e_signatures').where('target_user_id', '=', targetUserId).where('target_key_id', '=', targetKeyId).execute();
}

/** Uploaded signatures on the keys of the given users, made by the given signers. */
export async function signaturesOn(db: Db, targetUserIds: readonly string[], signerUserIds?: readonly string[]): Promise<StoredSignature[]> {
  if (targetUserIds.length === 0) return [];
  let query = db
    .selectFrom('e2e_signatures')
    .select(['target_user_id', 'target_key_id', 'signer_user_id', 'signer_key_id', 'signature'])
    .where('target_user_id', 'in', [...new Set(targetUserIds)]);
  if (signerUserIds !== undefined) query = query.where('signer_user_id', 'in', [...new Set(signerUserIds)]);
  const rows = await query.execute();
  return rows.map((r) => ({
    targetUserId: r.target_user_id,
    targetKeyId: r.target_key_id,
    signerUserId: r.signer_user_id,
    signerKeyId: r.signer_key_id,
    signature: r.signature,
  }));
}
