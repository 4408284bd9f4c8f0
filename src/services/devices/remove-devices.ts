// Deleting devices: the one place devices go away (logout, logout/all, DELETE /devices,
// POST /delete_devices, password change, deactivation). Their access and refresh tokens go
// with them (foreign keys); later modules (device keys, to-device messages) hook in here.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { deleteDevices } from '../../storage/devices.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { changeOf, lockDeviceListStream, recordDeviceListChanges, wakeDeviceListAudienceSoon } from '../keys/device-list-changes.ts';

export interface DeviceSelection {
  /** The devices to delete; all of the user's when undefined. */
  deviceIds?: readonly string[];
  /** A device to keep (the caller's own, when changing the password). */
  keepDeviceId?: string;
}

/** Deletes devices inside the caller's transaction; returns the IDs deleted. Call
 * forgetDeletedDevices after the transaction commits. */
export async function removeDevices(
  db: Kysely<TenantDatabase> | Transaction<TenantDatabase>,
  userId: string,
  selection: DeviceSelection,
): Promise<string[]> {
  // Before the cascade deletes key and signature rows (see lockDeviceListStream).
  if (db.isTransaction) await lockDeviceListStream(db as Transaction<TenantDatabase>);
  const deleted = await deleteDevices(db, userId, selection);
  // Their end-to-end keys went with them (cascade): others must hear the device list changed.
  if (deleted.length > 0 && db.isTransaction) await recordDeviceListChanges(db as Transaction<TenantDatabase>, [changeOf(userId)]);
  return deleted;
}

/** Drops this shard's cached tokens of deleted devices (other shards' caches expire by TTL). */
export function forgetDeletedDevices(tenant: TenantContext, userId: string, deviceIds: readonly string[]): void {
  if (deviceIds.length > 0) tenant.caches.accessTokens?.forgetUser(userId, { deviceIds });
  if (deviceIds.length > 0) wakeDeviceListAudienceSoon(tenant, [changeOf(userId)]);
}

/** Deletes devices in a transaction of its own and updates the cache. */
export async function removeDevicesNow(tenant: TenantContext, userId: string, selection: DeviceSelection): Promise<string[]> {
  const deleted = await tenant.db.transaction().execute((trx) => removeDevices(trx, userId, selection));
  forgetDeletedDevices(tenant, userId, deleted);
  return deleted;
}
