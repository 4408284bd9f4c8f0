// One-time keys (table one_time_keys) and fallback keys (table fallback_keys) of devices.
// A claim deletes a one-time key (each is handed out at most once) or, when a device has
// none left, marks its fallback key used (fallback keys are handed out until replaced).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface DeviceKey {
  algorithm: string;
  keyId: string;
  /** A string key or a signed key object. */
  key: unknown;
}

/** The stored one-time keys of a device among `keyIds` (to detect reuse), by "algorithm:key_id". */
export async function existingOneTimeKeys(db: Db, userId: string, deviceId: string, keyIds: readonly string[]): Promise<Map<string, unknown>> {
  if (keyIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('one_time_keys')
    .select(['algorithm', 'key_id', 'key_json'])
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .where('key_id', 'in', [...new Set(keyIds)])
    .execute();
  return new Map(rows.map((r) => [`${r.algorithm}:${r.key_id}`, r.key_json]));
}

/** Inserts keys; a key ID stored meanwhile by a concurrent upload is left as it is. */
export async function insertOneTimeKeys(trx: Transaction<TenantDatabase>, userId: string, deviceId: string, keys: readonly DeviceKey[]): Promise<void> {
  if (keys.length === 0) return;
  await trx
    .insertInto('one_time_keys')
    .values(keys.map((k) => ({ user_id: userId, device_id: deviceId, algorithm: k.algorithm, key_id: k.keyId, key_json: JSON.stringify(k.key) })))
    .onConflict((oc) => oc.columns(['user_id', 'device_id', 'algorithm', 'key_id']).doNothing())
    .execute();
}

/** Unclaimed one-time keys of a device, per algorithm. */
export async function countOneTimeKeys(db: Db, userId: string, deviceId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('one_time_keys')
    .select(['algorithm', (eb) => eb.fn.countAll<string>().as('n')])
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .groupBy('algorithm')
    .execute();
  return new Map(rows.map((r) => [r.algorithm, Number(r.n)]));
}

export interface KeyRequest {
  userId: string;
  deviceId: string;
  algorithm: string;
}

export interface ClaimedKey extends KeyRequest {
  keyId: string;
  key: unknown;
}

/**
 * Claims the oldest one-time key of each requested (user, device, algorithm) in one
 * statement: the candidate rows are locked (rows another claim holds are skipped) and
 * deleted, so two claims never return the same key.
 */
export async function claimOneTimeKeys(trx: Transaction<TenantDatabase>, requests: readonly KeyRequest[]): Promise<ClaimedKey[]> {
  if (requests.length === 0) return [];
  const wanted = sql`(select unnest(${requests.map((r) => r.userId)}::text[]) as user_id,
    unnest(${requests.map((r) => r.deviceId)}::text[]) as device_id,
    unnest(${requests.map((r) => r.algorithm)}::text[]) as algorithm)`;
  const rows = await trx
    .deleteFrom('one_time_keys')
    .where('id', 'in', (eb) =>
      eb
        .selectFrom(wanted.as('r'))
        .innerJoinLateral(
          (inner) =>
            inner
              .selectFrom('one_time_keys as k')
              .select('k.id')
              .where(sql<boolean>`k.user_id = r.user_id and k.device_id = r.device_id and k.algorithm = r.algorithm`)
              .orderBy('k.id')
              .limit(1)
              .forUpdate()
              .skipLocked()
              .as('picked'),
          (join) => join.onTrue(),
        )
        .select('picked.id'),
    )
    .returning(['user_id', 'device_id', 'algorithm', 'key_id', 'key_json'])
    .execute();
  return rows.map((r) => ({ userId: r.user_id, deviceId: r.device_id, algorithm: r.algorithm, keyId: r.key_id, key: r.key_json }));
}

/** The fallback keys of the requested (user, device, algorithm)s, marked used. */
export async function claimFallbackKeys(trx: Transaction<TenantDatabase>, requests: readonly KeyRequest[]): Promise<ClaimedKey[]> {
  if (requests.length === 0) return [];
  const rows = await trx
    .updateTable('fallback_keys')
    .set({ used: true })
    .where(
      sql<boolean>`(user_id, device_id, algorithm) in (select unnest(${requests.map((r) => r.userId)}::text[]),
        unnest(${requests.map((r) => r.deviceId)}::text[]), unnest(${requests.map((r) => r.algorithm)}::text[]))`,
    )
    .returning(['user_id', 'device_id', 'algorithm', 'key_id', 'key_json'])
    .execute();
  return rows.map((r) => ({ userId: r.user_id, deviceId: r.device_id, algorithm: r.algorithm, keyId: r.key_id, key: r.key_json }));
}

/**
 * Stores a device's fallback key of an algorithm, replacing the previous one. A new key
 * starts unused; re-uploading the stored key (same ID and content) keeps its `used` flag, so
 * a retried upload does not hide that the key was handed out.
 */
export async function putFallbackKey(trx: Transaction<TenantDatabase>, userId: string, deviceId: string, key: DeviceKey): Promise<void> {
  const json = JSON.stringify(key.key);
  await trx
    .insertInto('fallback_keys')
    .values({ user_id: userId, device_id: deviceId, algorithm: key.algorithm, key_id: key.keyId, key_json: json, used: false })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'device_id', 'algorithm'])
        .doUpdateSet({ key_id: key.keyId, key_json: json, used: false })
        .where(sql<boolean>`fallback_keys.key_id <> excluded.key_id or fallback_keys.key_json is distinct from excluded.key_json`),
    )
    .execute();
}
