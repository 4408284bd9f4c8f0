import type { FastifyInstance } from 'fastify';
import type { ShardMetrics } from './metrics.ts';

/** The URL as logged: the deprecated access_token query parameter must not reach the logs. */
export function loggableUrl(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/gi, '$1<redacted>');
}

/** Counts every response by tenant, route pattern and status, times it by route, and logs it at debug level. */
export function recordRequestMetrics(app: FastifyInstance, metrics: ShardMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const tenant = (request.tenant as { serverName?: string } | null)?.serverName ?? '-';
    metrics.countRequest({ tenant, method: request.method, route, status: String(reply.statusCode) });
    metrics.requestDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    request.log.debug({ method: request.method, url: loggableUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
}
