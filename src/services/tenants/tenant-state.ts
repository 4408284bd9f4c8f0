// Suspending and resuming a tenant. A suspended tenant keeps all its data; every request for
// its hosts is refused with 403 M_FORBIDDEN until it is resumed.
import { MatrixError } from '../../errors/matrix-error.ts';
import { updateTenant } from '../../storage/control/tenants.ts';
import type { TenantAdminDeps } from './deps.ts';
import { findTenantOrThrow } from './find-tenant.ts';
import { rejectUnknownFields, requireObject } from './tenant-settings.ts';
import { tenantViewWithKeys, type TenantView } from './tenant-view.ts';

const MAX_REASON = 500;

export async function suspendTenant(deps: TenantAdminDeps, serverName: string, body: unknown): Promise<TenantView> {
  const input = body === undefined || body === null ? {} : requireObject(body);
  rejectUnknownFields(input, ['reason']);
  const reason = input.reason ?? null;
  if (reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON)) {
    throw new MatrixError('M_INVALID_PARAM', `reason must be a string of at most ${MAX_REASON} characters`);
  }
  const tenant = await findTenantOrThrow(deps, serverName);
  if (tenant.state === 'provisioning') throw new MatrixError('M_BAD_STATE', 'The tenant is still being provisioned', { status: 409 });
  const row = await updateTenant(deps.root, tenant.id, { state: 'suspended', suspended_reason: reason, suspended_at: new Date() });
  if (!row) throw new MatrixError('M_NOT_FOUND', `No tenant named ${serverName}`);
  await deps.tenantChanged(row.id);
  deps.log.info({ tenant: row.server_name, reason }, 'tenant suspended');
  return tenantViewWithKeys(deps.root, row, tenant.hosts);
}

export async function resumeTenant(deps: TenantAdminDeps, serverName: string): Promise<TenantView> {
  const tenant = await findTenantOrThrow(deps, serverName);
  if (tenant.state === 'provisioning') throw new MatrixError('M_BAD_STATE', 'The tenant is still being provisioned', { status: 409 });
  const row = await updateTenant(deps.root, tenant.id, { state: 'active', suspended_reason: null, suspended_at: null });
  if (!row) throw new MatrixError('M_NOT_FOUND', `No tenant named ${serverName}`);
  await deps.tenantChanged(row.id);
  deps.log.info({ tenant: row.server_name }, 'tenant resumed');
  return tenantViewWithKeys(deps.root, row, tenant.hosts);
}
