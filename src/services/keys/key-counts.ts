// A device's unclaimed one-time keys per algorithm (/keys/upload's one_time_key_counts,
// /sync's device_one_time_keys_count). signed_curve25519 is always listed, 0 included, as
// Synapse does: clients (libolm-era matrix-js-sdk) read a missing count as "unknown" rather
// than zero and then never replenish.
import { countOneTimeKeys } from '../../storage/e2ee/one-time-keys.ts';
import type { KeyStock } from '../../storage/sync-head.ts';
import type { TenantContext } from '../../tenancy/context.ts';

function withSignedCurve25519(counts: ReadonlyMap<string, number>): Record<string, number> {
  return { signed_curve25519: 0, ...Object.fromEntries(counts) };
}

export async function oneTimeKeyCounts(tenant: TenantContext, userId: string, deviceId: string): Promise<Record<string, number>> {
  return withSignedCurve25519(await countOneTimeKeys(tenant.db, userId, deviceId));
}

/** /sync's counts and unused fallback key algorithms (device_unused_fallback_key_types) from
 * the device's key stock (read with the sync's positions: storage/sync-head.ts). */
export function deviceKeyCounts(stock: KeyStock): { oneTimeKeyCounts: Record<string, number>; unusedFallbackKeyTypes: string[] } {
  return { oneTimeKeyCounts: withSignedCurve25519(stock.oneTimeKeys), unusedFallbackKeyTypes: stock.unusedFallbacks };
}
