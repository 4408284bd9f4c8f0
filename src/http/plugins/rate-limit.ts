// Rate limiting for the public listener: token buckets per tenant (kept in its context, so
// they vanish with it) and per user, or per client IP when the request is unauthenticated.
// A route picks its class with `config.rateLimit`; client API routes default to "client";
// `rateLimit: false` exempts a route. Exhausted: 429 M_LIMIT_EXCEEDED with retry_after_ms and
// Retry-After. Services with their own limits (failed logins) use `request.limiter`.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { mergeRateLimits, type RateLimitClass, type RateLimitSettings } from '../../config/rate-limits.ts';
import { RateLimiter } from '../../services/rate-limit/rate-limiter.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { isShardLevel } from './tenant.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant's rate limiter; set for every tenant request. */
    limiter: RateLimiter;
  }
  interface FastifyContextConfig {
    rateLimit?: RateLimitClass | false;
  }
}

/** The tenant's limiter: its own overrides merged over the shard's settings. A settings
 * change reloads the tenant's context, and with it the limiter. */
export function limiterOf(tenant: TenantContext, settings: RateLimitSettings): RateLimiter {
  tenant.caches.rateLimiter ??= new RateLimiter(mergeRateLimits(settings, tenant.config.rateLimits));
  return tenant.caches.rateLimiter;
}

function classOf(request: FastifyRequest): RateLimitClass | undefined {
  const configured = request.routeOptions.config?.rateLimit;
  if (configured === false) return undefined;
  if (configured !== undefined) return configured;
  return request.routeOptions.url?.startsWith('/_matrix/client/') ? 'client' : undefined;
}

/** Subject of per-requester buckets: the user when signed in, else the client address. */
export function rateLimitSubject(request: FastifyRequest): string {
  return request.requester?.userId ?? `ip:${request.ip}`;
}

export function limitRequestRates(app: FastifyInstance, settings: RateLimitSettings): void {
  app.decorateRequest('limiter', null as unknown as RateLimiter);
  app.addHook('onRequest', async (request) => {
    if (isShardLevel(request) || !request.tenant) return;
    request.limiter = limiterOf(request.tenant, settings);
    const cls = classOf(request);
    if (cls !== undefined) request.limiter.take(cls, rateLimitSubject(request));
  });
}
