import { MatrixError } from '../../errors/matrix-error.ts';
import { getTenantByServerName, type TenantWithHosts } from '../../storage/control/tenants.ts';
import { hostKey } from '../../tenancy/host.ts';
import type { TenantAdminDeps } from './deps.ts';

/** The tenant named in an admin URL, or 404. */
export async function findTenantOrThrow(deps: Pick<TenantAdminDeps, 'root'>, serverName: string): Promise<TenantWithHosts> {
  const key = hostKey(serverName);
  const tenant = key === undefined ? undefined : await getTenantByServerName(deps.root, key);
  if (!tenant) throw new MatrixError('M_NOT_FOUND', `No tenant named ${serverName}`);
  return tenant;
}
