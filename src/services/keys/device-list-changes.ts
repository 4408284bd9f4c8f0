// Recording that a user's devices or keys changed: a row at the next `device_lists` position
// inside the writing transaction (so sync tokens see it exactly when it commits), then, after
// commit, waking the long-polls of whoever may hear of it.
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { insertDeviceListChanges, type DeviceListChange } from '../../storage/e2ee/device-list-changes.ts';
import { usersSharingRoomsWithAny } from '../../storage/presence.ts';
import { lockPosition, nextPosition } from '../../storage/stream-positions.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export type { DeviceListChange };

/** Records the changes at one new position and returns it (none: nothing is written).
 * Taking the position locks the tenant's device_lists stream until commit, which also
 * serialises the writers that call this first. */
export async function recordDeviceListChanges(trx: Transaction<TenantDatabase>, changes: readonly DeviceListChange[]): Promise<number | undefined> {
  if (changes.length === 0) return undefined;
  const position = await nextPosition(trx, 'device_lists');
  await insertDeviceListChanges(trx, position, changes);
  return position;
}

/** Writers that change device keys or their signatures take the device_lists position lock
 * FIRST, before any key or signature row: uploading a signature takes the position and then
 * writes the signature, so a key upload that deleted the device's signatures and then waited
 * for the position deadlocked with it (found by test/client/e2ee/keys-concurrency.test.ts). */
export function lockDeviceListStream(trx: Transaction<TenantDatabase>): Promise<void> {
  return lockPosition(trx, 'device_lists');
}

/** After commit: wakes the changed users, everyone sharing a room with them, and the
 * addressees of changes meant for one user only. */
export async function wakeDeviceListAudience(tenant: TenantContext, changes: readonly DeviceListChange[]): Promise<void> {
  if (changes.length === 0) return;
  const broadcast = changes.filter((c) => c.onlyFor === null).map((c) => c.userId);
  const users = new Set([...broadcast, ...(await usersSharingRoomsWithAny(tenant.db, broadcast))]);
  for (const c of changes) if (c.onlyFor !== null) users.add(c.onlyFor);
  tenant.notifier.notify(users);
}

/** wakeDeviceListAudience for callers that cannot wait: failures are logged, not thrown
 * (waking is a latency optimisation; the change is committed and the next sync sees it). */
export function wakeDeviceListAudienceSoon(tenant: TenantContext, changes: readonly DeviceListChange[]): void {
  wakeDeviceListAudience(tenant, changes).catch((error: unknown) => tenant.log.warn({ err: error }, 'waking device-list audience failed'));
}

/** A change every user sharing a room with `userId` hears of. */
export function changeOf(userId: string): DeviceListChange {
  return { userId, onlyFor: null };
}
