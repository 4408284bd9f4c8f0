// Changing a tenant's settings (PATCH). The server name is fixed for life: it is in every
// user ID, room alias and signature of the tenant.
import { MatrixError } from '../../errors/matrix-error.ts';
import { hostsTakenByOthers, listHosts, replaceHosts, updateTenant } from '../../storage/control/tenants.ts';
import type { TenantAdminDeps } from './deps.ts';
import { findTenantOrThrow } from './find-tenant.ts';
import {
  SETTINGS_FIELDS,
  applyConfigSettings,
  parseClientHostnames,
  parseRegistration,
  rejectUnknownFields,
  requireObject,
} from './tenant-settings.ts';
import { tenantViewWithKeys, type TenantView } from './tenant-view.ts';

export async function updateTenantSettings(deps: TenantAdminDeps, serverName: string, body: unknown): Promise<TenantView> {
  const input = requireObject(body);
  if (Object.hasOwn(input, 'server_name')) {
    throw new MatrixError('M_INVALID_PARAM', 'server_name cannot be changed');
  }
  rejectUnknownFields(input, SETTINGS_FIELDS);
  const tenant = await findTenantOrThrow(deps, serverName);
  const clientHostnames =
    input.client_hostnames === undefined ? undefined : parseClientHostnames(input.client_hostnames, tenant.server_name);
  const registration = input.registration === undefined ? undefined : parseRegistration(input.registration);
  const config = applyConfigSettings(tenant.config ?? {}, input);
  if (clientHostnames) {
    const taken = await hostsTakenByOthers(deps.root, clientHostnames, tenant.id);
    if (taken.length > 0) {
      throw new MatrixError('TESSERA_HOSTNAME_IN_USE', `Hostname already serves another tenant: ${taken.join(', ')}`);
    }
  }
  const row = await deps.root.transaction().execute(async (trx) => {
    if (clientHostnames) await replaceHosts(trx, tenant.id, tenant.server_name, clientHostnames);
    return updateTenant(trx, tenant.id, { config, ...(registration ? { registration } : {}) });
  });
  if (!row) throw new MatrixError('M_NOT_FOUND', `No tenant named ${serverName}`);
  await deps.tenantChanged(row.id);
  return tenantViewWithKeys(deps.root, row, await listHosts(deps.root, row.id));
}
