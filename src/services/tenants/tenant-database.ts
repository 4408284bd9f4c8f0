// The admin API's way into a tenant's schema (it has no loaded TenantContext): find the
// tenant, bring its schema up to date, and bind the root database to it.
import type { Kysely } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import { ensureTenantSchemaCurrent } from '../../tenancy/load-tenant.ts';
import type { TenantAdminDeps } from './deps.ts';
import { findTenantOrThrow } from './find-tenant.ts';

export async function tenantDatabase(deps: Pick<TenantAdminDeps, 'root' | 'log'>, serverName: string): Promise<Kysely<TenantDatabase>> {
  const tenant = await findTenantOrThrow(deps, serverName);
  if (tenant.state === 'provisioning') throw new MatrixError('M_NOT_FOUND', `Tenant ${serverName} is still being provisioned`);
  await ensureTenantSchemaCurrent(deps.root, tenant, deps.log);
  return deps.root.withSchema(tenant.schema_name) as unknown as Kysely<TenantDatabase>;
}
