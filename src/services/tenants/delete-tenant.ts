// Deleting a tenant drops its schema (all its data) and its control rows, nothing else.
import { sql } from 'kysely';
import { deleteTenantRow } from '../../storage/control/tenants.ts';
import type { TenantAdminDeps } from './deps.ts';
import { findTenantOrThrow } from './find-tenant.ts';

export async function deleteTenant(deps: TenantAdminDeps, serverName: string): Promise<void> {
  const tenant = await findTenantOrThrow(deps, serverName);
  await deps.root.transaction().execute(async (trx) => {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(tenant.schema_name)} CASCADE`.execute(trx);
    await deleteTenantRow(trx, tenant.id);
  });
  await deps.tenantChanged(tenant.id);
  deps.log.info({ tenant: tenant.server_name, schema: tenant.schema_name }, 'tenant deleted');
}
