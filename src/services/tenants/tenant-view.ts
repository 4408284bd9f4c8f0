// The tenant as the admin API shows it: settings (effective values), state and keys.
import type { Kysely } from 'kysely';
import type { RateLimitSettings } from '../../config/rate-limits.ts';
import type { ControlDatabase, TenantDatabase, TenantRow } from '../../db/schema-types.ts';
import { listSigningKeys } from '../../storage/signing-keys.ts';
import { effectiveConfig } from '../../tenancy/tenant-config.ts';

export interface TenantView {
  server_name: string;
  client_hostnames: string[];
  registration: TenantRow['registration'];
  public_baseurl: string;
  well_known_server: string | null;
  well_known_client: Record<string, unknown>;
  default_room_version: string;
  /** The tenant's own rate limit overrides ({}: the shard's limits apply). */
  rate_limits: Partial<RateLimitSettings>;
  state: TenantRow['state'];
  suspended_reason: string | null;
  suspended_at: string | null;
  schema: string;
  schema_version: string | null;
  db_cluster: string;
  shard: string | null;
  created_at: string;
  updated_at: string;
  verify_keys?: Record<string, { key: string }>;
  old_verify_keys?: Record<string, { key: string; expired_ts: number }>;
}

function iso(value: Date | string | null): string | null {
  if (value === null) return null;
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function tenantView(row: TenantRow, hosts: string[]): TenantView {
  const config = effectiveConfig(row, hosts);
  return {
    server_name: row.server_name,
    client_hostnames: config.clientHostnames,
    registration: row.registration,
    public_baseurl: config.publicBaseUrl,
    well_known_server: config.wellKnownServer,
    well_known_client: config.wellKnownClient,
    default_room_version: config.defaultRoomVersion,
    rate_limits: config.rateLimits,
    state: row.state,
    suspended_reason: row.suspended_reason,
    suspended_at: iso(row.suspended_at),
    schema: row.schema_name,
    schema_version: row.schema_version,
    db_cluster: row.db_cluster,
    shard: row.shard,
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
  };
}

/** The view with the tenant's public keys (one query into its schema). */
export async function tenantViewWithKeys(root: Kysely<ControlDatabase>, row: TenantRow, hosts: string[]): Promise<TenantView> {
  const view = tenantView(row, hosts);
  if (row.state === 'provisioning') return view;
  const keys = await listSigningKeys(root.withSchema(row.schema_name) as unknown as Kysely<TenantDatabase>);
  view.verify_keys = {};
  view.old_verify_keys = {};
  for (const key of keys) {
    if (key.expiredTs === null) view.verify_keys[key.keyId] = { key: key.publicKey };
    else view.old_verify_keys[key.keyId] = { key: key.publicKey, expired_ts: key.expiredTs };
  }
  return view;
}
