// Rate limits of the client API, in one place: token buckets per tenant and per user (per
// IP address when the request is unauthenticated). A bucket holds `burst` requests and
// refills at `perSecond`. The defaults leave normal clients undisturbed; a tenant-level
// override will merge over them (see mergeRateLimits).

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
