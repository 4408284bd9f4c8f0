// Devices of local users (tenant table devices). Deleting a device deletes its access and
// refresh tokens with it (foreign keys with ON DELETE CASCADE).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredDevice {
  userId: string;
  deviceId: string;
  displayName: string | null;
  createdTs: number;
  lastSeenTs: number | null;
  lastSeenIp: string | null;
}

const COLUMNS = ['user_id', 'device_id', 'display_name', 'created_ts', 'last_seen_ts', 'last_seen_ip'] as const;

function toDevice(row: {
  user_id: string;
  device_id: string;
  display_name: string | null;
  created_ts: string;
  last_seen_ts: string | null;
  last_seen_ip: string | null;
}): StoredDevice {
  return {
    userId: row.user_id,
    deviceId: row.device_id,
    displayName: row.display_name,
    createdTs: Number(row.created_ts),
    lastSeenTs: row.last_seen_ts === null ? null : Number(row.last_seen_ts),
    lastSeenIp: row.last_seen_ip,
  };
}

export async function listDevices(db: Db, userId: string): Promise<StoredDevice[]> {
  const rows = await db.selectFrom('devices').select(COLUMNS).where('user_id', '=', userId).orderBy('created_ts').orderBy('device_id').execute();
  return rows.map(toDevice);
}

export async function getDevice(db: Db, userId: string, deviceId: string): Promise<StoredDevice | undefined> {
  const row = await db.selectFrom('devices').select(COLUMNS).where('user_id', '=', userId).where('device_id', '=', deviceId).executeTakeFirst();
  return row ? toDevice(row) : undefined;
}

/** Creates the device unless it exists; true when it was created. */
export async function ensureDevice(db: Db, device: { userId: string; deviceId: string; displayName: string | null; createdTs: number }): Promise<boolean> {
  const inserted = await db
    .insertInto('devices')
    .values({ user_id: device.userId, device_id: device.deviceId, display_name: device.displayName, created_ts: device.createdTs })
    .onConflict((oc) => oc.columns(['user_id', 'device_id']).doNothing())
    .returning('device_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Sets the display name; false when the user has no such device. */
export async function setDeviceDisplayName(db: Db, userId: string, deviceId: string, displayName: string): Promise<boolean> {
  const result = await db
    .updateTable('devices')
    .set({ display_name: displayName })
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touchDevice(db: Db, userId: string, deviceId: string, ts: number, ip: string): Promise<void> {
  await db
    .updateTable('devices')
    .set({ last_seen_ts: ts, last_seen_ip: ip })
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .execute();
}

/** Deletes the listed devices of a user (all of them when `deviceIds` is undefined), except
 * `keepDeviceId`; returns the IDs deleted. */
export async function deleteDevices(
  db: Db,
  userId: string,
  options: { deviceIds?: readonly string[]; keepDeviceId?: string } = {},
): Promise<string[]> {
  if (options.deviceIds !== undefined && options.deviceIds.length === 0) return [];
  let query = db.deleteFrom('devices').where('user_id', '=', userId);
  if (options.deviceIds !== undefined) query = query.where('device_id', 'in', [...options.deviceIds]);
  if (options.keepDeviceId !== undefined) query = query.where('device_id', '!=', options.keepDeviceId);
  const rows = await query.returning('device_id').execute();
  return rows.map((r) => r.device_id);
}
