// Key rotation: a new signing key becomes current; the previous one moves to old_verify_keys
// (expired now) so remote servers can still verify what it signed.
import type { Kysely } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import { expireCurrentSigningKeys, insertSigningKey } from '../../storage/signing-keys.ts';
import { updateTenant } from '../../storage/control/tenants.ts';
import type { TenantAdminDeps } from './deps.ts';
import { findTenantOrThrow } from './find-tenant.ts';
import { generateSigningKey } from './signing-key.ts';
import { tenantViewWithKeys, type TenantView } from './tenant-view.ts';

export async function rotateSigningKey(deps: TenantAdminDeps, serverName: string): Promise<TenantView> {
  const tenant = await findTenantOrThrow(deps, serverName);
  if (tenant.state === 'provisioning') throw new MatrixError('M_BAD_STATE', 'The tenant is still being provisioned', { status: 409 });
  const key = generateSigningKey();
  const now = Date.now();
  const tenantDb = deps.root.withSchema(tenant.schema_name) as unknown as Kysely<TenantDatabase>;
  await tenantDb.transaction().execute(async (trx) => {
    await expireCurrentSigningKeys(trx, now);
    await insertSigningKey(trx, { ...key, createdTs: now });
  });
  const row = (await updateTenant(deps.root, tenant.id, {})) ?? tenant;
  await deps.tenantChanged(tenant.id);
  deps.log.info({ tenant: tenant.server_name, keyId: key.keyId }, 'signing key rotated');
  return tenantViewWithKeys(deps.root, row, tenant.hosts);
}
