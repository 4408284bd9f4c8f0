// POST /keys/query: the device keys and cross-signing keys of the requested users. Local
// users are read in a fixed number of queries whatever their number; remote users are asked
// of their server (remote-keys.ts; for now each remote server is a failure). Unknown local
// users and devices are left out, never an error. Device keys carry
// unsigned.device_display_name; device and master keys carry the signatures uploaded through
// /keys/signatures/upload that the requester may see (spec, "Key and signature security"):
// those by the key's owner and the requester's own; the user-signing key is only returned
// to its owner.
import { parseUserId } from '../../protocol/ids.ts';
import { setOwn, type JsonRecord } from '../../protocol/json-object.ts';
import { crossSigningKeysOf, signaturesOn, type CrossSigningUsage, type StoredSignature } from '../../storage/e2ee/cross-signing-keys.ts';
import { deviceKeysForQuery } from '../../storage/e2ee/device-keys.ts';
import { getLocalProfiles } from '../../storage/profiles.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { queryRemoteKeys, type RemoteFailure } from './remote-keys.ts';

export interface KeysQueryResponse {
  device_keys: Record<string, Record<string, JsonRecord>>;
  master_keys: Record<string, JsonRecord>;
  self_signing_keys: Record<string, JsonRecord>;
  user_signing_keys: Record<string, JsonRecord>;
  failures: Record<string, RemoteFailure>;
}

/** Groups user IDs by server; IDs that do not parse are dropped (they name no one). */
export function usersByServer<T>(entries: Iterable<[string, T]>): Map<string, Map<string, T>> {
  const result = new Map<string, Map<string, T>>();
  for (const [userId, value] of entries) {
    const server = parseUserId(userId)?.serverName;
    if (server === undefined) continue;
    let users = result.get(server);
    if (!users) result.set(server, (users = new Map()));
    users.set(userId, value);
  }
  return result;
}

/** A copy of `key` with `extra` signatures added beside its own. */
function withSignatures(key: JsonRecord, extra: readonly StoredSignature[]): JsonRecord {
  if (extra.length === 0) return key;
  const own = (key.signatures ?? {}) as Record<string, Record<string, string>>;
  const signatures: Record<string, Record<string, string>> = {};
  for (const [user, sigs] of Object.entries(own)) setOwn(signatures, user, { ...sigs });
  for (const s of extra) {
    if (!Object.hasOwn(signatures, s.signerUserId)) setOwn(signatures, s.signerUserId, {});
    setOwn(signatures[s.signerUserId] as Record<string, string>, s.signerKeyId, s.signature);
  }
  return { ...key, signatures };
}

async function queryLocalKeys(tenant: TenantContext, requesterId: string, users: ReadonlyMap<string, readonly string[]>, response: KeysQueryResponse): Promise<void> {
  const userIds = [...users.keys()];
  const usages: CrossSigningUsage[] = users.has(requesterId) ? ['master', 'self_signing', 'user_signing'] : ['master', 'self_signing'];
  const [known, devices, crossSigning, signatures] = await Promise.all([
    getLocalProfiles(tenant.db, userIds),
    deviceKeysForQuery(tenant.db, users),
    crossSigningKeysOf(tenant.db, userIds, usages),
    signaturesOn(tenant.db, userIds),
  ]);
  // Signatures by the key's owner, or by the requester; keyed by "user\0key".
  const visible = new Map<string, StoredSignature[]>();
  for (const s of signatures) {
    if (s.signerUserId !== s.targetUserId && s.signerUserId !== requesterId) continue;
    const id = `${s.targetUserId}\u0000${s.targetKeyId}`;
    visible.set(id, [...(visible.get(id) ?? []), s]);
  }
  for (const userId of userIds) if (known.has(userId)) response.device_keys[userId] = {};
  for (const d of devices) {
    const byDevice = (response.device_keys[d.userId] ??= {});
    const key = withSignatures(d.keys, visible.get(`${d.userId}\u0000${d.deviceId}`) ?? []);
    setOwn(byDevice, d.deviceId, d.displayName === null ? key : { ...key, unsigned: { device_display_name: d.displayName } });
  }
  for (const k of crossSigning) {
    if (k.usage === 'user_signing' && k.userId !== requesterId) continue;
    const publicKey = k.keyId.slice('ed25519:'.length);
    if (k.usage === 'master') response.master_keys[k.userId] = withSignatures(k.key, visible.get(`${k.userId}\u0000${publicKey}`) ?? []);
    else if (k.usage === 'self_signing') response.self_signing_keys[k.userId] = k.key;
    else response.user_signing_keys[k.userId] = k.key;
  }
}

export async function queryKeys(
  tenant: TenantContext,
  requesterId: string,
  wanted: ReadonlyMap<string, readonly string[]>,
  timeoutMs: number,
): Promise<KeysQueryResponse> {
  const response: KeysQueryResponse = { device_keys: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {}, failures: {} };
  const byServer = usersByServer(wanted);
  const local = byServer.get(tenant.serverName);
  byServer.delete(tenant.serverName);
  await Promise.all([
    local ? queryLocalKeys(tenant, requesterId, local, response) : undefined,
    ...[...byServer].map(async ([server, users]) => {
      const answer = await queryRemoteKeys(tenant, server, users, timeoutMs);
      if (!answer.ok) {
        setOwn(response.failures, server, answer.failure);
        return;
      }
      Object.assign(response.device_keys, answer.value.deviceKeys);
      Object.assign(response.master_keys, answer.value.masterKeys);
      Object.assign(response.self_signing_keys, answer.value.selfSigningKeys);
    }),
  ]);
  return response;
}
