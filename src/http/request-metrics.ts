import type { FastifyInstance } from 'fastify';
import type { ShardMetrics } from './metrics.ts';

/** Counts every response by tenant, route pattern and status, times it by route, and logs it at debug level. */
export function recordRequestMetrics(app: FastifyInstance, metrics: ShardMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const tenant = (request.tenant as { serverName?: string } | null)?.serverName ?? '-';
    metrics.requests.inc({ tenant, method: request.method, route, status: String(reply.statusCode) });
    metrics.requestDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
}
