// After start, migrate every tenant whose schema is behind this release, one at a time, so
// idle tenants are current too. Tenants that get a request first migrate at load.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ControlDatabase } from '../db/schema-types.ts';
import { LATEST_TENANT_MIGRATION } from '../../migrations/index.ts';
import { ensureTenantSchemaCurrent } from './load-tenant.ts';

export async function migrateOutdatedTenants(root: Kysely<ControlDatabase>, log: Logger, isStopped: () => boolean): Promise<number> {
  const outdated = await root
    .selectFrom('control.tenants')
    .selectAll()
    .where('state', '!=', 'provisioning')
    .where((eb) => eb.or([eb('schema_version', 'is', null), eb('schema_version', '!=', LATEST_TENANT_MIGRATION)]))
    .orderBy('id')
    .execute();
  let migrated = 0;
  for (const row of outdated) {
    if (isStopped()) break;
    try {
      await ensureTenantSchemaCurrent(root, row, log.child({ tenant: row.server_name }));
      migrated++;
    } catch (error) {
      log.error({ err: error, tenant: row.server_name }, 'tenant schema migration failed; the tenant retries at load');
    }
  }
  return migrated;
}
