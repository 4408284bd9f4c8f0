// Rate limits high enough never to interfere with tests that are not about rate limiting.
import type { RateLimitSettings } from '../../src/config/rate-limits.ts';

const UNLIMITED = { burst: 1_000_000, perSecond: 1_000_000 };

export const NO_RATE_LIMITS: RateLimitSettings = {
  client: UNLIMITED,
  login: UNLIMITED,
  loginFailuresPerUser: UNLIMITED,
  loginFailuresPerIp: UNLIMITED,
  register: UNLIMITED,
  usernameAvailability: UNLIMITED,
  registrationTokenValidity: UNLIMITED,
  loginTokenIssue: UNLIMITED,
  maxKeysPerTenant: 10_000,
};
