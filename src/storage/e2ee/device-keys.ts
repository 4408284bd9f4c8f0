// Devices' identity keys (table device_keys), as uploaded through /keys/upload without
// `unsigned`. A device's keys are deleted with the device (foreign key, cascade).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredDeviceKeys {
  userId: string;
  deviceId: string;
  keys: Record<string, unknown>;
  /** The device's display name (devices.display_name). */
  displayName: string | null;
}

export async function getDeviceKeys(db: Db, userId: string, deviceId: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.selectFrom('device_keys').select('key_json').where('user_id', '=', userId).where('device_id', '=', deviceId).executeTakeFirst();
  return row?.key_json;
}

/** Device keys of several devices of one user (all of them when deviceIds is undefined). */
export async function deviceKeysOfUser(db: Db, userId: string, deviceIds?: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (deviceIds !== undefined && deviceIds.length === 0) return new Map();
  let query = db.selectFrom('device_keys').select(['device_id', 'key_json']).where('user_id', '=', userId);
  if (deviceIds !== undefined) query = query.where('device_id', 'in', [...new Set(deviceIds)]);
  return new Map((await query.execute()).map((r) => [r.device_id, r.key_json]));
}

/**
 * Stores a device's keys. Returns true when they were new or different (a device-list
 * change), false when the identical object was already stored. One statement, so concurrent
 * uploads of one device serialise on its row.
 */
export async function putDeviceKeys(trx: Transaction<TenantDatabase>, userId: string, deviceId: string, keys: Record<string, unknown>, now: number): Promise<boolean> {
  const json = JSON.stringify(keys);
  const row = await trx
    .insertInto('device_keys')
    .values({ user_id: userId, device_id: deviceId, key_json: json, updated_ts: now })
    .onConflict((oc) =>
      oc
        .columns(['user_id', 'device_id'])
        .doUpdateSet({ key_json: json, updated_ts: now })
        .where(sql<boolean>`device_keys.key_json is distinct from excluded.key_json`),
    )
    .returning('device_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Device keys of every device of the given users (the listed devices of a user when its
 * entry lists any), with the devices' display names. One query.
 */
export async function deviceKeysForQuery(db: Db, wanted: ReadonlyMap<string, readonly string[]>): Promise<StoredDeviceKeys[]> {
  if (wanted.size === 0) return [];
  const allDevices = [...wanted].filter(([, devices]) => devices.length === 0).map(([userId]) => userId);
  const listed = [...wanted].flatMap(([userId, devices]) => devices.map((deviceId) => [userId, deviceId] as const));
  const rows = await db
    .selectFrom('device_keys as k')
    .innerJoin('devices as d', (join) => join.onRef('d.user_id', '=', 'k.user_id').onRef('d.device_id', '=', 'k.device_id'))
    .select(['k.user_id', 'k.device_id', 'k.key_json', 'd.display_name'])
    .where((eb) => {
      const ors = [];
      if (allDevices.length > 0) ors.push(eb('k.user_id', 'in', allDevices));
      if (listed.length > 0) {
        ors.push(
          sql<boolean>`(k.user_id, k.device_id) in (select unnest(${listed.map(([u]) => u)}::text[]), unnest(${listed.map(([, d]) => d)}::text[]))`,
        );
      }
      return eb.or(ors);
    })
    .execute();
  return rows.map((r) => ({ userId: r.user_id, deviceId: r.device_id, keys: r.key_json, displayName: r.display_name }));
}
