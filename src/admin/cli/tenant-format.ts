// How tenants read in a terminal: the list table and the details of one tenant.
import { shortTimestamp } from './display-text.ts';
import { formatFields, formatTable, type FieldValue } from './layout.ts';
import type { TenantView } from './tenant-api.ts';

const NONE = '-';

export function formatTenantTable(tenants: readonly TenantView[]): string {
  const headers = ['SERVER NAME', 'STATE', 'REGISTRATION', 'CLIENT HOSTNAMES', 'SCHEMA', 'CREATED'];
  const rows = tenants.map((tenant) => [
    tenant.server_name,
    tenant.state,
    tenant.registration,
    tenant.client_hostnames.length === 0 ? NONE : tenant.client_hostnames.join(','),
    tenant.schema,
    shortTimestamp(tenant.created_at),
  ]);
  return formatTable(headers, rows);
}

function keyLines(tenant: TenantView): { current: string[]; old: string[] } {
  const current = Object.entries(tenant.verify_keys ?? {}).map(([id, { key }]) => `${id}  ${key}`);
  const old = Object.entries(tenant.old_verify_keys ?? {}).map(
    ([id, { key, expired_ts }]) => `${id}  ${key}  (expired ${shortTimestamp(new Date(expired_ts).toISOString())})`,
  );
  return { current, old };
}

/** Just the signing keys (after a rotation). */
export function formatTenantKeys(tenant: TenantView): string {
  const { current, old } = keyLines(tenant);
  return formatFields([
    ['Verify keys', current],
    ['Old verify keys', old],
  ]);
}

export function formatTenantDetails(tenant: TenantView): string {
  const { current, old } = keyLines(tenant);
  const suspended = tenant.state === 'suspended';
  const fields: Array<readonly [string, FieldValue]> = [
    ['Server name', tenant.server_name],
    ['State', tenant.state],
    ...(suspended
      ? ([
          ['Suspended reason', tenant.suspended_reason ?? NONE],
          ['Suspended at', tenant.suspended_at === null ? NONE : shortTimestamp(tenant.suspended_at)],
        ] as const)
      : []),
    ['Registration', tenant.registration],
    ['Client hostnames', tenant.client_hostnames],
    ['Public base URL', tenant.public_baseurl],
    ['Well-known server', tenant.well_known_server ?? NONE],
    ['Well-known client', JSON.stringify(tenant.well_known_client)],
    ['Default room version', tenant.default_room_version],
    ['Rate limits', Object.keys(tenant.rate_limits ?? {}).length > 0 ? JSON.stringify(tenant.rate_limits) : "the shard's"],
    ['Schema', tenant.schema],
    ['Schema version', tenant.schema_version ?? NONE],
    ['DB cluster', tenant.db_cluster],
    ['Shard', tenant.shard ?? NONE],
    ['Created', shortTimestamp(tenant.created_at)],
    ['Updated', shortTimestamp(tenant.updated_at)],
    ['Verify keys', current],
    ['Old verify keys', old],
  ];
  return formatFields(fields);
}
