// A device's unclaimed one-time keys per algorithm (/keys/upload's one_time_key_counts,
// /sync's device_one_time_keys_count). signed_curve25519 is always listed, 0 included, as
// Synapse does: clients (libolm-era matrix-js-sdk) read a missing count as "unknown" rather
// than zero and then never replenish.
import { countOneTimeKeys, deviceKeyStock, unusedFallbackAlgorithms } from '../../storage/e2ee/one-time-keys.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export async function oneTimeKeyCounts(tenant: TenantContext, userId: string, deviceId: string): Promise<Record<string, number>> {
  const counts = await countOneTimeKeys(tenant.db, userId, deviceId);
  return { signed_curve25519: 0, ...Object.fromEntries(counts) };
}

export function unusedFallbackKeyTypes(tenant: TenantContext, userId: string, deviceId: string): Promise<string[]> {
  return unusedFallbackAlgorithms(tenant.db, userId, deviceId);
}

/** Both of the above in one query (for /sync). */
export async function deviceKeyCounts(tenant: TenantContext, userId: string, deviceId: string): Promise<{ oneTimeKeyCounts: Record<string, number>; unusedFallbackKeyTypes: string[] }> {
  const stock = await deviceKeyStock(tenant.db, userId, deviceId);
  return { oneTimeKeyCounts: { signed_curve25519: 0, ...Object.fromEntries(stock.oneTimeKeys) }, unusedFallbackKeyTypes: stock.unusedFallbacks };
}
