// Rate limits of the client API, in one place: token buckets per tenant and per user (per
// IP address when the request is unauthenticated). A bucket holds `burst` requests and
// refills at `perSecond`. The defaults leave normal clients undisturbed. The operator's
// RATE_LIMITS (shard-wide) merge over them, and a tenant's `rate_limits` setting over that,
// class by class (mergeRateLimits).

export interface BucketSettings {
  /** Requests a fresh bucket allows at once. */
  burst: number;
  /** Requests added back per second. */
  perSecond: number;
}

export interface RateLimitSettings {
  /** Every client API request without a more specific class (per user, else per IP). */
  client: BucketSettings;
  /** POST /login attempts, per IP. */
  login: BucketSettings;
  /** Failed password checks (login and UIA) against one account. */
  loginFailuresPerUser: BucketSettings;
  /** Failed password or login token checks from one IP. */
  loginFailuresPerIp: BucketSettings;
  /** POST /register and shared-secret registration, per IP. */
  register: BucketSettings;
  /** GET /register/available, per IP. */
  usernameAvailability: BucketSettings;
  /** GET /register/m.login.registration_token/validity, per IP (guards token guessing). */
  registrationTokenValidity: BucketSettings;
  /** POST /login/get_token, per user (the spec asks for stricter limits here). */
  loginTokenIssue: BucketSettings;
  /** Distinct keys (users, IPs) tracked per tenant; the least recently seen are forgotten first. */
  maxKeysPerTenant: number;
}

export type RateLimitClass = Exclude<keyof RateLimitSettings, 'maxKeysPerTenant'>;

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  client: { burst: 200, perSecond: 20 },
  login: { burst: 30, perSecond: 0.5 },
  loginFailuresPerUser: { burst: 10, perSecond: 1 / 30 },
  loginFailuresPerIp: { burst: 30, perSecond: 0.1 },
  register: { burst: 20, perSecond: 0.2 },
  usernameAvailability: { burst: 30, perSecond: 1 },
  registrationTokenValidity: { burst: 10, perSecond: 0.1 },
  loginTokenIssue: { burst: 6, perSecond: 1 / 30 },
  maxKeysPerTenant: 10_000,
};

/** Settings with `overrides` applied class by class. */
export function mergeRateLimits(base: RateLimitSettings, overrides: Partial<RateLimitSettings> | undefined): RateLimitSettings {
  return { ...base, ...(overrides ?? {}) };
}

const CLASSES = Object.keys(DEFAULT_RATE_LIMITS).filter((key) => key !== 'maxKeysPerTenant') as RateLimitClass[];

/** Overrides of some classes (and maxKeysPerTenant), as an operator writes them: the
 * RATE_LIMITS environment variable and a tenant's `rate_limits` setting. Throws a
 * RangeError naming what is wrong. */
export function parseRateLimitOverrides(value: unknown): Partial<RateLimitSettings> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RangeError('rate limits must be a JSON object');
  const result: Partial<RateLimitSettings> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (key === 'maxKeysPerTenant') {
      if (!Number.isInteger(entry) || (entry as number) < 1 || (entry as number) > 10_000_000) throw new RangeError('maxKeysPerTenant must be an integer from 1 to 10000000');
      result.maxKeysPerTenant = entry as number;
      continue;
    }
    if (!(CLASSES as string[]).includes(key)) throw new RangeError(`unknown rate limit class "${key}" (known: ${CLASSES.join(', ')}, maxKeysPerTenant)`);
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new RangeError(`${key} must be an object with burst and perSecond`);
    const { burst, perSecond, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0) throw new RangeError(`${key} has unknown fields: ${Object.keys(rest).join(', ')}`);
    if (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1) throw new RangeError(`${key}.burst must be a number of at least 1`);
    if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond < 0) throw new RangeError(`${key}.perSecond must be a number of at least 0`);
    result[key as RateLimitClass] = { burst, perSecond };
  }
  return result;
}
