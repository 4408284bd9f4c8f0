// Shard configuration from environment variables, validated with messages that say which
// variable is wrong and what it should look like.
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AccountSettings } from './account-settings.ts';
import { parseRateLimitOverrides, type RateLimitSettings } from './rate-limits.ts';

export interface ShardConfig {
  host: string;
  port: number;
  /** Optional HTTPS listener for federation; needs tlsCertPath and tlsKeyPath. */
  tlsPort: number | undefined;
  tlsCertPath: string | undefined;
  tlsKeyPath: string | undefined;
  adminHost: string;
  adminPort: number;
  /** Undefined: generate one into DATA_DIR/admin-token (mode 0600) or reuse it. */
  adminToken: string | undefined;
  dataDir: string;
  /** Undefined: start the embedded PostgreSQL under dataDir. */
  databaseUrl: string | undefined;
  databasePoolMax: number;
  /** Lanes the pool is split into; a tenant's queries use one lane (src/db/database.ts). */
  databasePoolLanes: number;
  /** Pipelined connections, shared by the lanes (src/db/pipeline.ts). */
  databasePipelines: number;
  /** How long start-up keeps retrying an unreachable database before giving up. */
  databaseConnectTimeoutMs: number;
  embeddedPostgresPort: number;
  logLevel: string;
  shardName: string;
  /** A loaded tenant with no request for this long is unloaded. */
  tenantIdleMs: number;
  /** Upper bound on loaded tenants; the least recently used is unloaded beyond it. */
  maxLoadedTenants: number;
  /** Validity advertised for a tenant's signing key responses (valid_until_ts). */
  keyValidityMs: number;
  /** Largest accepted request body. */
  bodyLimitBytes: number;
  /** How long SIGTERM waits for in-flight requests before closing. */
  shutdownGraceMs: number;
  /** Overrides of account/authentication settings (not from the environment; tests use it). */
  accountSettings?: Partial<AccountSettings>;
  /** Overrides of the client API rate limits (not from the environment; tests use it). */
  rateLimits?: Partial<RateLimitSettings>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be an integer, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

export function loadConfig(env: Env = process.env): ShardConfig {
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL must be a URL such as postgres://user:password@host:5432/database');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError(`DATABASE_URL must use postgres:// or postgresql://, got ${url.protocol}//`);
    }
  }
  const adminToken = optional(env, 'ADMIN_TOKEN');
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new ConfigError('ADMIN_TOKEN must be at least 16 characters');
  }
  const logLevel = optional(env, 'LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.has(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${[...LOG_LEVELS].join(', ')}, got "${logLevel}"`);
  }
  const tlsPort = env.TLS_PORT ? integer(env, 'TLS_PORT', 0, 0, 65535) : undefined;
  const tlsCertPath = optional(env, 'TLS_CERT_PATH');
  const tlsKeyPath = optional(env, 'TLS_KEY_PATH');
  if (tlsPort !== undefined && (!tlsCertPath || !tlsKeyPath)) {
    throw new ConfigError('TLS_PORT needs TLS_CERT_PATH and TLS_KEY_PATH (PEM files)');
  }
  const rateLimitsText = optional(env, 'RATE_LIMITS');
  let rateLimits: Partial<RateLimitSettings> | undefined;
  if (rateLimitsText !== undefined) {
    try {
      rateLimits = parseRateLimitOverrides(JSON.parse(rateLimitsText));
    } catch (error) {
      throw new ConfigError(`RATE_LIMITS must be a JSON object such as {"client":{"burst":200,"perSecond":20}}: ${(error as Error).message}`);
    }
  }
  const shardName = optional(env, 'SHARD_NAME') ?? hostname();
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(shardName)) {
    throw new ConfigError('SHARD_NAME may contain letters, digits, ".", "_" and "-" (at most 100)');
  }
  return {
    host: optional(env, 'HOST') ?? '0.0.0.0',
    port: integer(env, 'PORT', 8008, 0, 65535),
    tlsPort,
    tlsCertPath,
    tlsKeyPath,
    adminHost: optional(env, 'ADMIN_HOST') ?? '127.0.0.1',
    adminPort: integer(env, 'ADMIN_PORT', 8009, 0, 65535),
    adminToken,
    dataDir: resolve(optional(env, 'DATA_DIR') ?? './data'),
    databaseUrl,
    databasePoolMax: integer(env, 'DATABASE_POOL_MAX', 20, 1, 1000),
    databasePoolLanes: integer(env, 'DATABASE_POOL_LANES', 5, 1, 1000),
    databasePipelines: integer(env, 'DATABASE_PIPELINES', 1, 1, 1000),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 30_000, 0, 3_600_000),
    embeddedPostgresPort: integer(env, 'EMBEDDED_PG_PORT', 0, 0, 65535),
    logLevel,
    shardName,
    tenantIdleMs: integer(env, 'TENANT_IDLE_MS', 600_000, 1_000, 86_400_000),
    maxLoadedTenants: integer(env, 'MAX_LOADED_TENANTS', 10_000, 1, 10_000_000),
    keyValidityMs: integer(env, 'KEY_VALIDITY_MS', 86_400_000, 60_000, 30 * 86_400_000),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 1_073_741_824),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    ...(rateLimits ? { rateLimits } : {}),
  };
}
