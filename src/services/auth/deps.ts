import type { AccountSettings } from '../../config/account-settings.ts';
import type { RateLimiter } from '../rate-limit/rate-limiter.ts';

/** What account and authentication services need beyond the tenant: the settings, and for
 * requests from clients the tenant's rate limiter and the client's address. */
export interface AccountDeps {
  settings: AccountSettings;
  limiter?: RateLimiter;
  /** The client's IP address (from the ingress' X-Forwarded-For). */
  ip?: string;
  now?: () => number;
}

export function nowOf(deps: Pick<AccountDeps, 'now'>): number {
  return (deps.now ?? Date.now)();
}
