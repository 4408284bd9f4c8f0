// Kysely table types. Control tables live in schema `control`; tenant tables live in each
// tenant's own schema and are reached through `root.withSchema(tenant.schema)`.
import type { RateLimitSettings } from '../config/rate-limits.ts';
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
  /** Rate limit overrides of this tenant (config/rate-limits.ts), merged over the shard's. */
  rate_limits?: Partial<RateLimitSettings>;
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

/** int8 columns read back as strings (pg default); written as numbers. */
type Int8 = ColumnType<string, number | string, number | string>;

export interface RoomsTable {
  room_id: string;
  room_version: string;
  creator: string;
  created_ts: Int8;
  published: ColumnType<boolean, boolean | undefined, boolean>;
  current_state_group: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  /** Events persisted in the room (0010_room_head): the send path's optimistic check. */
  head_version: ColumnType<string, number | string | undefined, number | string>;
  /** The room's forward extremities (0012_lean_append), written by the append statement. */
  forward_extremities: ColumnType<string[], string[] | undefined, string[]>;
}

export interface EventsTable {
  event_id: string;
  stream_ordering: Int8;
  room_id: string;
  type: string;
  state_key: string | null;
  sender: string;
  depth: Int8;
  origin_server_ts: Int8;
  pdu: ColumnType<Record<string, unknown>, string, string>;
  outlier: ColumnType<boolean, boolean | undefined, boolean>;
  rejected_reason: string | null;
  soft_failed: ColumnType<boolean, boolean | undefined, boolean>;
  redacted_by: string | null;
  relates_to_id: string | null;
  rel_type: string | null;
  txn_user_id: string | null;
  txn_device_id: string | null;
  txn_id: string | null;
  /** The state event this one replaced (same type and state key), if any. */
  replaces_state: ColumnType<string | null, string | null | undefined, string | null>;
  /** The PDU's prev_events and auth_events as IDs, and the state groups before and after
   * the event (0012_lean_append; null for events stored without state, such as outliers). */
  prev_event_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  auth_event_ids: ColumnType<string[] | null, string[] | null | undefined, string[] | null>;
  state_group_before: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  state_group_after: ColumnType<string | null, number | string | null | undefined, number | string | null>;
}

export interface StateGroupsTable {
  id: Generated<string>;
  room_id: string;
  prev_group: string | null;
  chain_length: number;
}

export interface StateGroupEntriesTable {
  state_group: string | number;
  type: string;
  state_key: string;
  event_id: string;
}

export interface CurrentStateTable {
  room_id: string;
  type: string;
  state_key: string;
  event_id: string;
  membership: string | null;
  stream_ordering: Int8;
}

export interface RoomAliasesTable {
  alias: string;
  room_id: string;
  creator: string;
  created_ts: Int8;
}

export interface ForgottenRoomsTable {
  user_id: string;
  room_id: string;
  membership_event_id: string;
}

export interface UserFiltersTable {
  filter_id: Generated<string>;
  user_id: string;
  filter: ColumnType<Record<string, unknown>, string, string>;
  created_ts: ColumnType<string, number, number>;
}

export interface StreamPositionsTable {
  stream: string;
  position: Int8;
}

/** Milliseconds since the epoch in a bigint column: read back as a string (pg), written as a number. */
type MillisColumn = ColumnType<string, number, number>;
type NullableMillisColumn = ColumnType<string | null, number | null | undefined, number | null>;

export interface UsersTable {
  user_id: string;
  localpart: string;
  /** Self-describing scrypt string; null: the user cannot authenticate with a password. */
  password_hash: string | null;
  created_ts: MillisColumn;
  deactivated: ColumnType<boolean, boolean | undefined, boolean>;
  deactivated_ts: NullableMillisColumn;
  admin: ColumnType<boolean, boolean | undefined, boolean>;
  user_type: string | null;
  displayname: string | null;
  avatar_url: string | null;
}

export interface DevicesTable {
  user_id: string;
  device_id: string;
  display_name: string | null;
  created_ts: MillisColumn;
  last_seen_ts: NullableMillisColumn;
  last_seen_ip: string | null;
}

export interface AccessTokensTable {
  id: Generated<string>;
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: Buffer;
  user_id: string;
  device_id: string;
  created_ts: MillisColumn;
  /** Null: the token does not expire. */
  expires_ts: NullableMillisColumn;
  refresh_token_id: string | null;
  used: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  device_id: string;
  created_ts: MillisColumn;
  expires_ts: NullableMillisColumn;
  /** The refresh token that replaced this one, until that one is used. */
  next_token_id: string | null;
}

export interface LoginTokensTable {
  token_hash: Buffer;
  user_id: string;
  created_ts: MillisColumn;
  expires_ts: MillisColumn;
}

export interface UiaSessionsTable {
  session_id: string;
  operation: string;
  user_id: string | null;
  completed: ColumnType<string[], string | undefined, string>;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_ts: MillisColumn;
  expires_ts: MillisColumn;
}

export interface RegistrationTokensTable {
  token: string;
  uses_allowed: number | null;
  pending: ColumnType<number, number | undefined, number>;
  completed: ColumnType<number, number | undefined, number>;
  expiry_time: NullableMillisColumn;
  created_ts: MillisColumn;
}

export interface SharedSecretNoncesTable {
  nonce: string;
  expires_ts: MillisColumn;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
  created_ts: MillisColumn;
}

/** Account data; room_id '' for global account data. */
export interface AccountDataTable {
  user_id: string;
  room_id: string;
  type: string;
  content: ColumnType<Record<string, unknown>, string, string>;
  stream_id: Int8;
}

/** The latest receipt per (room, type, user, thread); thread_id '' for unthreaded. */
export interface ReceiptsTable {
  room_id: string;
  receipt_type: string;
  user_id: string;
  thread_id: string;
  event_id: string;
  event_stream: Int8;
  ts: Int8;
  stream_id: Int8;
}

export interface PresenceTable {
  user_id: string;
  state: string;
  status_msg: string | null;
  last_active_ts: ColumnType<string | null, number | null | undefined, number | null>;
  last_sync_ts: ColumnType<string | null, number | null | undefined, number | null>;
  stream_id: Int8;
}

/** A user's own push rule (0006_push); priority orders rules within a kind, 0 first. */
export interface PushRulesTable {
  user_id: string;
  kind: string;
  rule_id: string;
  priority: number;
  conditions: ColumnType<unknown[] | null, string | null, string | null>;
  pattern: string | null;
  actions: ColumnType<unknown[], string, string>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A user's enabled/actions choices for a server-default push rule; null keeps the default. */
export interface PushRuleDefaultsTable {
  user_id: string;
  kind: string;
  rule_id: string;
  enabled: boolean | null;
  actions: ColumnType<unknown[] | null, string | null, string | null>;
}

export interface PushRuleVersionsTable {
  user_id: string;
  version: Int8;
}

/** One notification: an event whose push actions for the user contained "notify". */
export interface EventPushActionsTable {
  user_id: string;
  event_id: string;
  room_id: string;
  /** 'main' or the thread root's event ID. */
  thread_id: string;
  stream_ordering: Int8;
  highlight: boolean;
  actions: ColumnType<unknown[], string, string>;
  notified_ts: Int8;
}

/** Read-up-to marks set by the server (sending an event; markRead); thread_id '' is the whole room. */
export interface PushReadMarksTable {
  user_id: string;
  room_id: string;
  thread_id: string;
  stream_ordering: Int8;
}

/** Counts of a user's notifications in a room's thread after a read mark, up to a stream
 * position (0014_push_summaries; storage/push/push-summaries.ts). */
export interface PushSummariesTable {
  user_id: string;
  room_id: string;
  thread_id: string;
  after_mark: Int8;
  up_to: Int8;
  notifications: Int8;
  highlights: Int8;
}

export interface PushersTable {
  user_id: string;
  app_id: string;
  pushkey: string;
  kind: string;
  app_display_name: string;
  device_display_name: string;
  profile_tag: string | null;
  lang: string;
  data: ColumnType<Record<string, unknown>, string, string>;
  device_id: string | null;
  created_ts: Int8;
}

/** A server-side key backup version of a user (0009_key_backup); deleted rows keep their number. */
export interface KeyBackupVersionsTable {
  user_id: string;
  version: Int8;
  algorithm: string;
  auth_data: ColumnType<Record<string, unknown>, string, string>;
  /** Bumped whenever the version's stored keys change. */
  etag: ColumnType<string, number | string | undefined, number | string>;
  /** The number of sessions stored in the version. */
  key_count: ColumnType<string, number | string | undefined, number | string>;
  deleted: ColumnType<boolean, boolean | undefined, boolean>;
  created_ts: Int8;
}

/** One backed-up megolm session key (encrypted by the client; session_data is opaque). */
export interface KeyBackupSessionsTable {
  user_id: string;
  version: Int8;
  room_id: string;
  session_id: string;
  first_message_index: Int8;
  forwarded_count: Int8;
  is_verified: boolean;
  session_data: ColumnType<Record<string, unknown>, string, string>;
}

/** A device's identity keys as uploaded, without `unsigned` (0007_e2ee_keys). */
export interface DeviceKeysTable {
  user_id: string;
  device_id: string;
  key_json: ColumnType<Record<string, unknown>, string, string>;
  updated_ts: Int8;
}

/** An unclaimed one-time key; `id` orders keys by upload. */
export interface OneTimeKeysTable {
  id: Generated<string>;
  user_id: string;
  device_id: string;
  algorithm: string;
  key_id: string;
  /** A string key or a signed key object. */
  key_json: ColumnType<unknown, string, string>;
}

/** A device's fallback key of one algorithm. */
export interface FallbackKeysTable {
  user_id: string;
  device_id: string;
  algorithm: string;
  key_id: string;
  key_json: ColumnType<unknown, string, string>;
  used: ColumnType<boolean, boolean | undefined, boolean>;
}

/** A user's current cross-signing key of one usage (master, self_signing, user_signing). */
export interface CrossSigningKeysTable {
  user_id: string;
  usage: string;
  /** `ed25519:<unpadded base64 public key>` */
  key_id: string;
  key_json: ColumnType<Record<string, unknown>, string, string>;
  stream_id: Int8;
}

/** A signature uploaded through /keys/signatures/upload; target_key_id is a device ID or a
 * master key's public key. */
export interface E2eSignaturesTable {
  target_user_id: string;
  target_key_id: string;
  signer_user_id: string;
  signer_key_id: string;
  signature: string;
}

/** A change of a user's devices or keys at a device_lists position; only_for: visible to that
 * user alone (null: to everyone sharing a room with user_id). */
export interface DeviceListChangesTable {
  stream_id: Int8;
  user_id: string;
  only_for: string | null;
}

/** A pending send-to-device message of a local device (0008_to_device), until acknowledged. */
export interface ToDeviceInboxTable {
  user_id: string;
  device_id: string;
  /** The to_device stream position of the request that sent it. */
  position: Int8;
  sender: string;
  type: string;
  content: ColumnType<Record<string, unknown>, string, string>;
}

/** A PUT /sendToDevice transaction already handled (pruned after a day). */
export interface ToDeviceTxnsTable {
  user_id: string;
  device_id: string;
  event_type: string;
  txn_id: string;
  created_ts: Int8;
}

export interface TenantDatabase {
  signing_keys: SigningKeysTable;
  users: UsersTable;
  devices: DevicesTable;
  access_tokens: AccessTokensTable;
  refresh_tokens: RefreshTokensTable;
  login_tokens: LoginTokensTable;
  uia_sessions: UiaSessionsTable;
  registration_tokens: RegistrationTokensTable;
  shared_secret_nonces: SharedSecretNoncesTable;
  server_secrets: ServerSecretsTable;
  rooms: RoomsTable;
  events: EventsTable;
  state_groups: StateGroupsTable;
  state_group_entries: StateGroupEntriesTable;
  current_state: CurrentStateTable;
  stream_positions: StreamPositionsTable;
  room_aliases: RoomAliasesTable;
  forgotten_rooms: ForgottenRoomsTable;
  user_filters: UserFiltersTable;
  account_data: AccountDataTable;
  receipts: ReceiptsTable;
  presence: PresenceTable;
  push_rules: PushRulesTable;
  push_rule_defaults: PushRuleDefaultsTable;
  push_rule_versions: PushRuleVersionsTable;
  event_push_actions: EventPushActionsTable;
  push_read_marks: PushReadMarksTable;
  push_summaries: PushSummariesTable;
  pushers: PushersTable;
  to_device_inbox: ToDeviceInboxTable;
  to_device_txns: ToDeviceTxnsTable;
  device_keys: DeviceKeysTable;
  one_time_keys: OneTimeKeysTable;
  fallback_keys: FallbackKeysTable;
  cross_signing_keys: CrossSigningKeysTable;
  e2e_signatures: E2eSignaturesTable;
  device_list_changes: DeviceListChangesTable;
  key_backup_versions: KeyBackupVersionsTable;
  key_backup_sessions: KeyBackupSessionsTable;
}
