// TenantContext: everything a service needs to act for one tenant. It is passed explicitly
// as the first argument of every service function; nothing reads a "current tenant" global.
import type { RateLimitSettings } from '../config/rate-limits.ts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { StatementRunner } from '../db/pipeline.ts';
import type { TenantDatabase } from '../db/schema-types.ts';
import type { SigningKey } from '../protocol/signing.ts';
import type { AccessTokenCache } from '../services/auth/token-cache.ts';
import type { PushRoomContext } from '../services/push/room-context.ts';
import type { RememberedIgnoreList } from '../services/push/ignore-lists-memo.ts';
import type { CachedPushRules } from '../services/push/rules-cache.ts';
import type { PersistHook } from '../services/rooms/persist-hooks.ts';
import type { RecentEvents } from '../services/rooms/recent-events.ts';
import type { IssuedSyncToken } from '../services/sync/sync.ts';
import type { PendingSyncStarts } from '../services/sync/current-token.ts';
import type { RoomHead } from '../services/rooms/room-head.ts';
import type { RateLimiter } from '../services/rate-limit/rate-limiter.ts';
import type { TypingRooms } from '../services/typing/typing-rooms.ts';
import type { BoundedMap } from './bounded-map.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import type { Notifier } from './notifier.ts';

export interface OldVerifyKey {
  keyId: string;
  /** Unpadded base64 public key. */
  publicKey: string;
  expiredTs: number;
}

export interface TenantSigningKeys {
  current: SigningKey;
  old: OldVerifyKey[];
}

export interface TenantConfig {
  registration: 'open' | 'token' | 'closed';
  clientHostnames: string[];
  /** Base URL clients use, advertised in /.well-known/matrix/client. */
  publicBaseUrl: string;
  /** Delegated federation endpoint ("host:port") for /.well-known/matrix/server; null: none. */
  wellKnownServer: string | null;
  /** Extra properties merged into /.well-known/matrix/client. */
  wellKnownClient: Record<string, unknown>;
  defaultRoomVersion: string;
  /** Rate limit overrides of this tenant, merged over the shard's (empty: none). */
  rateLimits: Partial<RateLimitSettings>;
}

/** Per-tenant memoised values. Lives and dies with the context, so it is keyed by tenant by construction. */
export interface TenantCaches {
  serverKeys?: { body: Record<string, unknown>; refreshAfter: number };
  /** Access tokens looked up on this shard (bounded LRU with a short TTL; see token-cache.ts). */
  accessTokens?: AccessTokenCache;
  /** Rate-limit buckets of this tenant's users and client addresses (bounded). */
  rateLimiter?: RateLimiter;
  /** Room ID → room version (immutable, so never stale; bounded). */
  roomVersions?: BoundedMap<string, string>;
  /** Lazy-loaded members already sent to a device by /sync: `${userId}\u0000${deviceId}` →
   * room ID → member user ID → member event ID (see services/sync/lazy-members.ts). */
  lazyLoadedMembers?: BoundedMap<string, Map<string, Map<string, string>>>;
  /** User ID → their merged and compiled push rules, checked against push_rule_versions
   * every few seconds (so other shards' changes are seen) and dropped on change (bounded). */
  pushRules?: BoundedMap<string, CachedPushRules>;
  /** Room ID → what push evaluation needs of its state, valid for one state group (bounded). */
  pushRoomContexts?: BoundedMap<string, PushRoomContext>;
  /** Who is typing in which room, with the tenant's typing stream position (in memory only;
   * see services/typing/typing-rooms.ts). */
  typing?: TypingRooms;
  /** Room ID → the room's head for the send path, changed only in the room's queue (see
   * services/rooms/room-head.ts; bounded). */
  roomHeads?: BoundedMap<string, RoomHead>;
  /** Per room, the latest message sent and not committed yet (services/rooms/create-local-event.ts). */
  roomMessagesInFlight?: Map<string, Promise<void>>;
  /** Sync starts waiting for the end of this turn of the event loop (services/sync/current-token.ts). */
  pendingSyncStarts?: PendingSyncStarts;
  /** `${userId}\u0000${deviceId}` → the last sync token this shard gave the device
   * (services/sync/sync.ts; bounded). */
  issuedSyncTokens?: BoundedMap<string, IssuedSyncToken>;
  /** The newest events this shard persisted, gap-free (services/rooms/recent-events.ts; bounded). */
  recentEvents?: RecentEvents;
  /** `${kind}\u0000${userId}` → until when no presence write of that kind is needed
   * (services/presence/presence-memo.ts; bounded). */
  presenceQuiet?: BoundedMap<string, number>;
  /** User ID → their ignored users as of an account-data stream position
   * (services/account-data/ignored-users.ts; bounded). */
  ignoredUsers?: BoundedMap<string, { position: number; users: Set<string> }>;
  /** User ID → their ignored users and when that was read, for push evaluation
   * (services/push/ignore-lists-memo.ts; bounded). */
  ignoreLists?: BoundedMap<string, RememberedIgnoreList>;
  /** `${userId}\u0000${deviceId}` → to_device position through which the device's inbox is
   * known to be empty (services/sync-parts/to-device.ts; bounded). */
  toDeviceEmptyThrough?: BoundedMap<string, number>;
}

export interface TenantContext {
  readonly id: string;
  readonly serverName: string;
  readonly schema: string;
  readonly db: Kysely<TenantDatabase>;
  /** The hottest single statements (a message's append, sync starts): pipelined with the
   * other tenants' statements (db/pipeline.ts). Never a transaction. */
  readonly pipeline: StatementRunner;
  readonly signingKeys: TenantSigningKeys;
  readonly config: TenantConfig;
  readonly log: Logger;
  readonly caches: TenantCaches;
  /** Wakes this tenant's waiting /sync requests. */
  readonly notifier: Notifier;
  /** Serialises event creation per room (key: room ID). */
  readonly roomQueue: KeyedQueue;
  /** Run by persistEvent for every event (see services/rooms/persist-hooks.ts). */
  readonly persistHooks: readonly PersistHook[];
}
