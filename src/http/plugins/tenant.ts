// Resolves each request's Host to its tenant before any route runs, and releases the tenant
// when the response is done. Routes marked `config: { shardLevel: true }` (health, readiness)
// answer for the shard and need no tenant.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TenantContext } from '../../tenancy/context.ts';
import type { TenantManager } from '../../tenancy/tenant-manager.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant this request is for; set for every route that is not shard-level. */
    tenant: TenantContext;
  }
  interface FastifyContextConfig {
    shardLevel?: boolean;
  }
}

export function isShardLevel(request: FastifyRequest): boolean {
  return request.routeOptions.config?.shardLevel === true;
}

export function resolveTenants(app: FastifyInstance, tenants: TenantManager): void {
  app.decorateRequest('tenant', null as unknown as TenantContext);
  app.addHook('onRequest', async (request, reply) => {
    if (isShardLevel(request)) return;
    const acquired = await tenants.acquire(request.headers.host);
    request.tenant = acquired.context;
    request.log = request.log.child({ tenant: acquired.context.serverName });
    // 'close' fires both when the response finished and when the client went away.
    reply.raw.once('close', acquired.release);
  });
}
