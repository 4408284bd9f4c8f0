// Access tokens looked up recently, per tenant (it lives in TenantCaches). Entries expire
// after a short TTL so that a logout on another shard takes effect here within it; logouts,
// deactivations and password changes on this shard remove the affected entries at once.
import { BoundedMap } from '../../tenancy/bounded-map.ts';

export interface CachedToken {
  tokenId: string;
  userId: string;
  deviceId: string;
  isAdmin: boolean;
  /** Null: the token does not expire. */
  expiresTs: number | null;
  refreshTokenId: string | null;
  /** When this entry was read from the database. */
  loadedAt: number;
  /** When this shard last wrote the device's last-seen columns for this token. */
  lastSeenWrittenAt: number;
}

export class AccessTokenCache {
  readonly #entries: BoundedMap<string, CachedToken>;
  readonly #ttlMs: number;

  constructor(maxEntries: number, ttlMs: number) {
    this.#entries = new BoundedMap(maxEntries);
    this.#ttlMs = ttlMs;
  }

  /** The cached entry for a token hash (base64). `stale` once it is older than the TTL: the
   * caller must check the database again (the entry still tells when last-seen was written). */
  get(hashKey: string, now: number): { entry: CachedToken; stale: boolean } | undefined {
    const entry = this.#entries.get(hashKey);
    if (entry === undefined) return undefined;
    return { entry, stale: now - entry.loadedAt >= this.#ttlMs };
  }

  set(hashKey: string, entry: CachedToken): void {
    this.#entries.set(hashKey, entry);
  }

  forgetToken(hashKey: string): void {
    this.#entries.delete(hashKey);
  }

  forgetTokenIds(tokenIds: readonly string[]): void {
    if (tokenIds.length === 0) return;
    const ids = new Set(tokenIds);
    this.#entries.deleteWhere((entry) => ids.has(entry.tokenId));
  }

  /** Forgets a user's tokens, all of them or those of some devices, optionally keeping one token. */
  forgetUser(userId: string, options: { deviceIds?: readonly string[]; exceptTokenId?: string } = {}): void {
    const devices = options.deviceIds === undefined ? undefined : new Set(options.deviceIds);
    this.#entries.deleteWhere(
      (entry) =>
        entry.userId === userId &&
        entry.tokenId !== options.exceptTokenId &&
        (devices === undefined || devices.has(entry.deviceId)),
    );
  }

  get size(): number {
    return this.#entries.size;
  }
}
