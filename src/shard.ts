// A shard: one process serving many tenants. Starts the database (embedded unless
// DATABASE_URL is set), migrates the control schema, and opens the public and admin listeners.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { sql } from 'kysely';
import type { ShardConfig } from './config/config.ts';
import { openDatabase, waitForDatabase, describeDatabaseUrl, type Database } from './db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded-postgres.ts';
import { migrateControl } from './db/migrate.ts';
import { buildAdminApp } from './admin/admin-app.ts';
import { resolveAdminToken } from './admin/admin-token.ts';
import { buildMatrixApp } from './http/matrix-app.ts';
import { createMetrics, type ShardMetrics } from './http/metrics.ts';
import { notifyTenantChanged, parseTenantChange } from './storage/control/tenants.ts';
import { migrateOutdatedTenants } from './tenancy/background-migrations.ts';
import { listenForTenantChanges, type ChangeListener } from './tenancy/change-listener.ts';
import { TenantManager } from './tenancy/tenant-manager.ts';
import { TESSERA_VERSION } from './version.ts';

export interface Shard {
  /** e.g. http://127.0.0.1:8008 */
  url: string;
  tlsUrl?: string;
  adminUrl: string;
  adminToken: string;
  databaseUrl: string;
  tenants: TenantManager;
  database: Database;
  log: Logger;
  stop(): Promise<void>;
}

export interface StartShardOptions {
  log?: Logger;
}

function listenUrl(app: FastifyInstance, scheme: string): string {
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `${scheme}://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`;
}

async function closeGracefully(app: FastifyInstance, graceMs: number): Promise<void> {
  const timer = setTimeout(() => app.server.closeAllConnections(), graceMs);
  timer.unref();
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
}

export async function startShard(config: ShardConfig, options: StartShardOptions = {}): Promise<Shard> {
  const log = options.log ?? pino({ level: config.logLevel, base: { shard: config.shardName } });
  // Names this process in change notifications (shard names need not be unique).
  const shardInstance = `${config.shardName}/${randomUUID()}`;
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async (): Promise<void> => {
    for (const fn of cleanups.reverse()) await fn().catch((error: unknown) => log.error({ err: error }, 'shutdown step failed'));
    cleanups.length = 0;
  };
  try {
    let databaseUrl = config.databaseUrl;
    let embedded: EmbeddedPostgresHandle | undefined;
    if (!databaseUrl) {
      log.info({ dataDir: config.dataDir }, 'starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({
        dataDir: config.dataDir,
        port: config.embeddedPostgresPort,
        log: (line) => log.debug({ postgres: line }),
      });
      cleanups.push(() => (embedded as EmbeddedPostgresHandle).stop());
      databaseUrl = embedded.url;
    }
    const database = openDatabase(databaseUrl, { max: config.databasePoolMax, lanes: config.databasePoolLanes, pipelines: config.databasePipelines, log });
    cleanups.push(() => database.close());
    await waitForDatabase(database.pool, config.databaseConnectTimeoutMs, describeDatabaseUrl(databaseUrl));
    await migrateControl(database.root as never);

    const now = new Date();
    await database.root
      .insertInto('control.shards')
      .values({ name: config.shardName, version: TESSERA_VERSION, started_at: now, heartbeat_at: now })
      .onConflict((oc) => oc.column('name').doUpdateSet({ version: TESSERA_VERSION, started_at: now, heartbeat_at: now }))
      .execute();
    const heartbeat = setInterval(() => {
      void database.root
        .updateTable('control.shards')
        .set({ heartbeat_at: sql`now()` } as never)
        .where('name', '=', config.shardName)
        .execute()
        .catch((error: unknown) => log.debug({ err: error }, 'shard heartbeat failed'));
    }, 30_000);
    heartbeat.unref();
    cleanups.push(async () => clearInterval(heartbeat));

    // Metrics read the manager and the manager tells metrics about unloads: bind late.
    const late: { metrics?: ShardMetrics } = {};
    const tenants = new TenantManager({
      root: database.root,
      laneFor: database.laneFor,
      log,
      idleMs: config.tenantIdleMs,
      maxLoaded: config.maxLoadedTenants,
      onUnload: (serverName) => late.metrics?.forgetTenant(serverName),
    });
    const sweep = setInterval(() => tenants.sweepIdle(), Math.min(Math.max(config.tenantIdleMs / 2, 1_000), 60_000));
    sweep.unref();
    cleanups.push(async () => clearInterval(sweep));

    let listener: ChangeListener | undefined = listenForTenantChanges({
      connectionString: databaseUrl,
      log,
      onChange: (payload) => {
        // A change this shard made was applied here already; dropping the tenant again
        // would needlessly cut its long-polls short.
        const change = parseTenantChange(payload);
        if (change.originShard !== shardInstance) tenants.invalidate(change.tenantId);
      },
      onResync: () => tenants.invalidateAll(),
    });
    cleanups.push(async () => {
      await listener?.close();
      listener = undefined;
    });

    const metrics = createMetrics({ loadedTenants: () => tenants.loadedCount, pools: database.pools });
    late.metrics = metrics;
    const admin = resolveAdminToken(config.adminToken, config.dataDir);
    if (admin.generated) log.warn({ file: admin.file }, `ADMIN_TOKEN not set: generated one and wrote it to ${admin.file}`);
    else if (admin.file) log.info({ file: admin.file }, `admin token read from ${admin.file}`);

    const matrixDeps = {
      log,
      tenants,
      pool: database.pool,
      metrics,
      keyValidityMs: config.keyValidityMs,
      bodyLimitBytes: config.bodyLimitBytes,
      accountSettings: config.accountSettings,
      rateLimits: config.rateLimits,
    };
    const matrixApp = buildMatrixApp(matrixDeps);
    cleanups.push(() => closeGracefully(matrixApp, config.shutdownGraceMs));
    let tlsApp: FastifyInstance | undefined;
    if (config.tlsPort !== undefined && config.tlsCertPath && config.tlsKeyPath) {
      tlsApp = buildMatrixApp({ ...matrixDeps, https: { cert: readFileSync(config.tlsCertPath), key: readFileSync(config.tlsKeyPath) } });
      cleanups.push(() => closeGracefully(tlsApp as FastifyInstance, config.shutdownGraceMs));
    }
    const adminApp = buildAdminApp({
      root: database.root,
      log,
      adminToken: admin.token,
      metrics,
      tenantChanged: async (id) => {
        tenants.invalidate(id);
        await notifyTenantChanged(database.root, id, shardInstance);
      },
    });
    cleanups.push(() => adminApp.close());

    await matrixApp.listen({ port: config.port, host: config.host });
    if (tlsApp) await tlsApp.listen({ port: config.tlsPort, host: config.host });
    await adminApp.listen({ port: config.adminPort, host: config.adminHost });

    let stopped = false;
    void migrateOutdatedTenants(database.root, log, () => stopped)
      .then((n) => n > 0 && log.info({ tenants: n }, 'background tenant migrations done'))
      .catch((error: unknown) => log.warn({ err: error }, 'background tenant migrations stopped'));

    const shard: Shard = {
      url: listenUrl(matrixApp, 'http'),
      tlsUrl: tlsApp ? listenUrl(tlsApp, 'https') : undefined,
      adminUrl: listenUrl(adminApp, 'http'),
      adminToken: admin.token,
      databaseUrl,
      tenants,
      database,
      log,
      async stop() {
        if (stopped) return;
        stopped = true;
        log.info('shard stopping');
        await cleanup();
        log.info('shard stopped');
      },
    };
    log.info({ url: shard.url, admin: shard.adminUrl, version: TESSERA_VERSION }, 'shard serving');
    return shard;
  } catch (error) {
    await cleanup();
    throw error;
  }
}
