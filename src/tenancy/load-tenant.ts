// Loading a tenant: bring its schema to the latest migration (lazily, at first load in this
// process), read its signing keys, and assemble its TenantContext.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ControlDatabase, TenantDatabase, TenantRow } from '../db/schema-types.ts';
import { migrateTenantSchema } from '../db/migrate.ts';
import type { Lane } from '../db/database.ts';
import { unpipelined } from '../db/pipeline.ts';
import { LATEST_TENANT_MIGRATION } from '../../migrations/index.ts';
import { listHosts, updateTenant } from '../storage/control/tenants.ts';
import { listSigningKeys } from '../storage/signing-keys.ts';
import { signingKeyFromSeed } from '../protocol/signing.ts';
import { pushActionsHook } from '../services/push/push-actions-hook.ts';
import type { TenantContext } from './context.ts';
import { effectiveConfig } from './tenant-config.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { Notifier } from './notifier.ts';

/** Migrates a tenant's schema if its recorded version is behind this release. */
export async function ensureTenantSchemaCurrent(root: Kysely<ControlDatabase>, row: TenantRow, log: Logger): Promise<void> {
  if (row.schema_version === LATEST_TENANT_MIGRATION) return;
  const started = performance.now();
  await migrateTenantSchema(root as Kysely<unknown>, row.schema_name);
  await updateTenant(root, row.id, { schema_version: LATEST_TENANT_MIGRATION });
  log.info({ from: row.schema_version, to: LATEST_TENANT_MIGRATION, ms: Math.round(performance.now() - started) }, 'tenant schema migrated');
}

/** `lane`: the pool lane serving the tenant's schema (database.ts); the root pool without pipelining when absent. */
export async function loadTenantContext(root: Kysely<ControlDatabase>, row: TenantRow, shardLog: Logger, lane?: Lane): Promise<TenantContext> {
  const log = shardLog.child({ tenant: row.server_name });
  await ensureTenantSchemaCurrent(root, row, log);
  const db = (lane?.root ?? root).withSchema(row.schema_name) as unknown as Kysely<TenantDatabase>;
  const [keys, hosts] = await Promise.all([listSigningKeys(db), listHosts(root, row.id)]);
  const current = keys.filter((k) => k.expiredTs === null).at(-1);
  if (!current) throw new Error(`tenant ${row.server_name} has no current signing key`);
  return {
    id: row.id,
    serverName: row.server_name,
    schema: row.schema_name,
    db,
    pipeline: lane?.pipeline ?? unpipelined(root as unknown as Kysely<unknown>),
    signingKeys: {
      current: signingKeyFromSeed(current.keyId, current.seed),
      old: keys
        .filter((k) => k.expiredTs !== null)
        .map((k) => ({ keyId: k.keyId, publicKey: k.publicKey, expiredTs: k.expiredTs as number })),
    },
    config: effectiveConfig(row, hosts),
    log,
    caches: {},
    notifier: new Notifier(),
    roomQueue: new KeyedQueue(),
    persistHooks: [pushActionsHook],
  };
}
