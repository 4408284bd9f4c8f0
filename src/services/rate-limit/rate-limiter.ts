// Token buckets for one tenant (kept in TenantCaches), keyed by class and subject (a user
// ID or "ip:<address>"). Bounded: beyond maxKeysPerTenant the least recently seen bucket is
// forgotten, which only ever lets that subject start afresh.
import type { BucketSettings, RateLimitClass, RateLimitSettings } from '../../config/rate-limits.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  readonly settings: RateLimitSettings;
  readonly #buckets: BoundedMap<string, Bucket>;

  constructor(settings: RateLimitSettings) {
    this.settings = settings;
    this.#buckets = new BoundedMap(settings.maxKeysPerTenant);
  }

  #bucket(cls: RateLimitClass, subject: string, now: number): { bucket: Bucket; limits: BucketSettings } {
    const limits = this.settings[cls];
    const key = `${cls}\u0000${subject}`;
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: limits.burst, updatedAt: now };
      this.#buckets.set(key, bucket);
    } else {
      const refill = (Math.max(0, now - bucket.updatedAt) / 1000) * limits.perSecond;
      bucket.tokens = Math.min(limits.burst, bucket.tokens + refill);
      bucket.updatedAt = now;
    }
    return { bucket, limits };
  }

  /** Milliseconds until one request is allowed again; 0 when it is allowed now. Consumes nothing. */
  wait(cls: RateLimitClass, subject: string, now = Date.now()): number {
    const { bucket, limits } = this.#bucket(cls, subject, now);
    if (bucket.tokens >= 1) return 0;
    if (limits.perSecond <= 0) return Number.MAX_SAFE_INTEGER;
    return Math.ceil(((1 - bucket.tokens) / limits.perSecond) * 1000);
  }

  /** Takes one request from the bucket, going below zero is not possible: an empty bucket stays empty. */
  consume(cls: RateLimitClass, subject: string, now = Date.now()): void {
    const { bucket } = this.#bucket(cls, subject, now);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
  }

  /** Throws 429 M_LIMIT_EXCEEDED if the bucket is empty; otherwise takes one request. */
  take(cls: RateLimitClass, subject: string, now = Date.now()): void {
    this.check(cls, subject, now);
    this.consume(cls, subject, now);
  }

  /** Throws 429 M_LIMIT_EXCEEDED if the bucket is empty; consumes nothing. */
  check(cls: RateLimitClass, subject: string, now = Date.now()): void {
    const waitMs = this.wait(cls, subject, now);
    if (waitMs > 0) throw limitExceeded(waitMs);
  }
}

export function limitExceeded(retryAfterMs: number): MatrixError {
  const ms = Math.min(retryAfterMs, 24 * 3_600_000);
  return new MatrixError('M_LIMIT_EXCEEDED', 'Too many requests; try again later', {
    extra: { retry_after_ms: ms },
    headers: { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) },
  });
}
