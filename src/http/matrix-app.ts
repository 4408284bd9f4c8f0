// The public listener: client, federation, key and discovery APIs for every tenant of the
// shard, told apart by Host.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { TenantManager } from '../tenancy/tenant-manager.ts';
import { installErrorHandlers } from './error-handler.ts';
import { acceptJsonBodies } from './json-body.ts';
import type { ShardMetrics } from './metrics.ts';
import { allowCors } from './plugins/cors.ts';
import { resolveTenants } from './plugins/tenant.ts';
import { recordRequestMetrics } from './request-metrics.ts';
import { versionsRoutes } from './routes/client/versions.ts';
import { federationVersionRoutes } from './routes/federation/version.ts';
import { healthRoutes } from './routes/health.ts';
import { serverKeyRoutes } from './routes/key/server-keys.ts';
import { wellKnownRoutes } from './routes/well-known/well-known.ts';

export interface MatrixAppDeps {
  log: Logger;
  tenants: TenantManager;
  pool: pg.Pool;
  metrics: ShardMetrics;
  keyValidityMs: number;
  bodyLimitBytes: number;
  https?: { cert: Buffer; key: Buffer };
}

export function buildMatrixApp(deps: MatrixAppDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: deps.bodyLimitBytes,
    // Ingress terminates TLS and forwards; the Host header carries the tenant.
    trustProxy: true,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance;
  acceptJsonBodies(app);
  installErrorHandlers(app);
  recordRequestMetrics(app, deps.metrics);
  allowCors(app);
  resolveTenants(app, deps.tenants);
  healthRoutes(app, { pool: deps.pool });
  versionsRoutes(app);
  wellKnownRoutes(app);
  federationVersionRoutes(app);
  serverKeyRoutes(app, { keyValidityMs: deps.keyValidityMs });
  return app;
}
