// The tenant's self-signed key response for GET /_matrix/key/v2/server (server-server API,
// "Publishing Keys"). Signed once and reused until half its validity has passed.
import { encodeBase64 } from '../protocol/base64.ts';
import { signJsonWithKey } from '../protocol/signing.ts';
import type { TenantContext } from '../tenancy/context.ts';

export function serverKeysResponse(tenant: TenantContext, now: number, validityMs: number): Record<string, unknown> {
  const cached = tenant.caches.serverKeys;
  if (cached && now < cached.refreshAfter) return cached.body;
  const { current, old } = tenant.signingKeys;
  const body = signJsonWithKey(
    {
      server_name: tenant.serverName,
      verify_keys: { [current.keyId]: { key: encodeBase64(current.publicKey) } },
      old_verify_keys: Object.fromEntries(old.map((k) => [k.keyId, { key: k.publicKey, expired_ts: k.expiredTs }])),
      valid_until_ts: now + validityMs,
    },
    tenant.serverName,
    current,
  );
  tenant.caches.serverKeys = { body, refreshAfter: now + validityMs / 2 };
  return body;
}
