// POST /keys/claim: one key per requested (user, device, algorithm): the device's oldest
// unclaimed one-time key, deleted as it is handed out, or else its fallback key of that
// algorithm, marked used but kept (spec: fallback keys are re-used until replaced). One
// transaction; concurrent claims never hand out the same one-time key (claimOneTimeKeys).
// Unknown users, devices and algorithms are simply absent from the answer.
import { setOwn } from '../../protocol/json-object.ts';
import { claimFallbackKeys, claimOneTimeKeys, type ClaimedKey, type KeyRequest } from '../../storage/e2ee/one-time-keys.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { usersByServer } from './query-keys.ts';
import { claimRemoteKeys, type RemoteFailure } from './remote-keys.ts';

export interface KeysClaimResponse {
  one_time_keys: Record<string, Record<string, Record<string, unknown>>>;
  failures: Record<string, RemoteFailure>;
}

async function claimLocal(tenant: TenantContext, requests: readonly KeyRequest[]): Promise<ClaimedKey[]> {
  return tenant.db.transaction().execute(async (trx) => {
    const claimed = await claimOneTimeKeys(trx, requests);
    const served = new Set(claimed.map((k) => `${k.userId}\u0000${k.deviceId}`));
    const rest = requests.filter((r) => !served.has(`${r.userId}\u0000${r.deviceId}`));
    return [...claimed, ...(await claimFallbackKeys(trx, rest))];
  });
}

export async function claimKeys(
  tenant: TenantContext,
  wanted: ReadonlyMap<string, ReadonlyMap<string, string>>,
  timeoutMs: number,
): Promise<KeysClaimResponse> {
  const response: KeysClaimResponse = { one_time_keys: {}, failures: {} };
  const add = (k: ClaimedKey): void => {
    const byDevice = (response.one_time_keys[k.userId] ??= {});
    if (!Object.hasOwn(byDevice, k.deviceId)) setOwn(byDevice, k.deviceId, {});
    setOwn(byDevice[k.deviceId] as Record<string, unknown>, `${k.algorithm}:${k.keyId}`, k.key);
  };
  const byServer = usersByServer(wanted);
  const local = byServer.get(tenant.serverName);
  byServer.delete(tenant.serverName);
  const requests = [...(local ?? [])].flatMap(([userId, devices]) => [...devices].map(([deviceId, algorithm]) => ({ userId, deviceId, algorithm })));
  await Promise.all([
    requests.length > 0 ? claimLocal(tenant, requests).then((keys) => keys.forEach(add)) : undefined,
    ...[...byServer].map(async ([server, users]) => {
      const answer = await claimRemoteKeys(tenant, server, users, timeoutMs);
      if (answer.ok) Object.assign(response.one_time_keys, answer.value);
      else setOwn(response.failures, server, answer.failure);
    }),
  ]);
  return response;
}
