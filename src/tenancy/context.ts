// TenantContext: everything a service needs to act for one tenant. It is passed explicitly
// as the first argument of every service function; nothing reads a "current tenant" global.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { TenantDatabase } from '../db/schema-types.ts';
import type { SigningKey } from '../protocol/signing.ts';
import type { AccessTokenCache } from '../services/auth/token-cache.ts';
import type { RateLimiter } from '../services/rate-limit/rate-limiter.ts';
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
}

/** Per-tenant memoised values. Lives and dies with the context, so it is keyed by tenant by construction. */
export interface TenantCaches {
  serverKeys?: { body: Record<string, unknown>; refreshAfter: number };
  /** Access tokens looked up on this shard (bounded LRU with a short TTL; see token-cache.ts). */
  accessTokens?: AccessTokenCache;
  /** Rate-limit buckets of this tenant's users and client addresses (bounded). */
  rateLimiter?: RateLimiter;
}

export interface TenantContext {
  readonly id: string;
  readonly serverName: string;
  readonly schema: string;
  readonly db: Kysely<TenantDatabase>;
  readonly signingKeys: TenantSigningKeys;
  readonly config: TenantConfig;
  readonly log: Logger;
  readonly caches: TenantCaches;
  /** Wakes this tenant's waiting /sync requests. */
  readonly notifier: Notifier;
  /** Serialises event creation per room (key: room ID). */
  readonly roomQueue: KeyedQueue;
}
