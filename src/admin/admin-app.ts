// The admin listener (ADMIN_PORT, loopback unless ADMIN_HOST says otherwise): tenant
// management and Prometheus metrics, all behind the admin token.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { installErrorHandlers } from '../http/error-handler.ts';
import { acceptJsonBodies } from '../http/json-body.ts';
import type { ShardMetrics } from '../http/metrics.ts';
import type { TenantAdminDeps } from '../services/tenants/deps.ts';
import { requireAdminToken } from './admin-auth.ts';
import { registrationAdminRoutes } from './routes/registration.ts';
import { tenantAdminRoutes } from './routes/tenants.ts';

export interface AdminAppDeps extends TenantAdminDeps {
  log: Logger;
  adminToken: string;
  metrics: ShardMetrics;
}

export function buildAdminApp(deps: AdminAppDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.log.child({ listener: 'admin' }), logController: new LogController({ disableRequestLogging: true }) }) as unknown as FastifyInstance;
  acceptJsonBodies(app);
  installErrorHandlers(app);
  requireAdminToken(app, deps.adminToken);
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  tenantAdminRoutes(app, deps);
  registrationAdminRoutes(app, deps);
  return app;
}
