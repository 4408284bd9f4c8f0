// Kysely table types. Control tables live in schema `control`; tenant tables live in each
// tenant's own schema and are reached through `root.withSchema(tenant.schema)`.
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TenantsTable {
  id: Generated<string>;
  server_name: string;
  schema_name: string;
  db_cluster: ColumnType<string, string | undefined, string>;
  shard: string | null;
  state: 'provisioning' | 'active' | 'suspended';
  suspended_reason: string | null;
  suspended_at: Date | null;
  registration: 'open' | 'token' | 'closed';
  config: ColumnType<TenantConfigColumn, string, string>;
  schema_version: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Per-tenant settings stored as JSON beside the fixed columns. */
export interface TenantConfigColumn {
  public_baseurl?: string;
  well_known_server?: string | null;
  well_known_client?: Record<string, unknown>;
  default_room_version?: string;
}

export interface TenantHostsTable {
  host: string;
  tenant_id: string;
  is_server_name: boolean;
}

export interface ShardsTable {
  name: string;
  version: string;
  started_at: Timestamp;
  heartbeat_at: Timestamp;
}

export interface DbClustersTable {
  name: string;
  /** Null: the cluster this process connects to (DATABASE_URL or the embedded one). */
  url: string | null;
  created_at: Timestamp;
}

export interface ControlDatabase {
  'control.tenants': TenantsTable;
  'control.tenant_hosts': TenantHostsTable;
  'control.shards': ShardsTable;
  'control.db_clusters': DbClustersTable;
}

export type TenantRow = Selectable<TenantsTable>;

export interface SigningKeysTable {
  key_id: string;
  seed: Buffer;
  public_key: string;
  created_ts: ColumnType<string, number, number>;
  expired_ts: ColumnType<string | null, number | null | undefined, number | null>;
}

export interface TenantDatabase {
  signing_keys: SigningKeysTable;
}
