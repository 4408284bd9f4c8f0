// Settings of accounts and authentication: token lifetimes, password hashing cost, caches.
// One object, passed explicitly from the app to the routes and services that need it.

export interface PasswordHashSettings {
  /** log2 of scrypt's cost N. 15: N = 32768, 32 MiB per hash with r = 8. */
  logN: number;
  r: number;
  p: number;
}

export interface AccountSettings {
  passwordHash: PasswordHashSettings;
  /** Lifetime of access tokens issued to clients that support refresh tokens. Others get
   * tokens that do not expire. */
  refreshableAccessTokenLifetimeMs: number;
  /** Lifetime of m.login.token tokens from POST /login/get_token (the spec recommends 2 minutes). */
  loginTokenLifetimeMs: number;
  /** How long an unfinished user-interactive authentication session stays usable. */
  uiaSessionLifetimeMs: number;
  /** How long a shared-secret registration nonce is accepted. */
  sharedSecretNonceLifetimeMs: number;
  /** Access tokens cached per tenant on this shard. */
  tokenCacheMaxEntries: number;
  /** How long a cached token is trusted without asking the database: the delay after which
   * a logout on another shard takes effect here. At most 60 s. */
  tokenCacheTtlMs: number;
  /** A device's last_seen_ts/last_seen_ip is written at most this often per token. */
  lastSeenIntervalMs: number;
}

export const DEFAULT_ACCOUNT_SETTINGS: AccountSettings = {
  passwordHash: { logN: 15, r: 8, p: 1 },
  refreshableAccessTokenLifetimeMs: 5 * 60_000,
  loginTokenLifetimeMs: 120_000,
  uiaSessionLifetimeMs: 30 * 60_000,
  sharedSecretNonceLifetimeMs: 60_000,
  tokenCacheMaxEntries: 1_000,
  tokenCacheTtlMs: 30_000,
  lastSeenIntervalMs: 60_000,
};

export function mergeAccountSettings(overrides: Partial<AccountSettings> | undefined): AccountSettings {
  const merged = { ...DEFAULT_ACCOUNT_SETTINGS, ...(overrides ?? {}) };
  merged.tokenCacheTtlMs = Math.min(merged.tokenCacheTtlMs, 60_000);
  return merged;
}
