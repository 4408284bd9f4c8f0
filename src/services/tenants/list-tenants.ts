// Listing tenants page by page. `from` is the opaque token of the previous page's end.
import { MatrixError } from '../../errors/matrix-error.ts';
import { countTenants, listTenants } from '../../storage/control/tenants.ts';
import type { TenantRow } from '../../db/schema-types.ts';
import type { TenantAdminDeps } from './deps.ts';
import { tenantView, type TenantView } from './tenant-view.ts';

export interface TenantPage {
  tenants: TenantView[];
  total: number;
  next_batch?: string;
}

const STATES: ReadonlyArray<TenantRow['state']> = ['provisioning', 'active', 'suspended'];

export async function listTenantPage(
  deps: Pick<TenantAdminDeps, 'root'>,
  query: { limit?: string; from?: string; state?: string },
): Promise<TenantPage> {
  const limit = query.limit === undefined ? 100 : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new MatrixError('M_INVALID_PARAM', 'limit must be an integer between 1 and 1000');
  }
  if (query.from !== undefined && !/^\d{1,19}$/.test(query.from)) throw new MatrixError('M_INVALID_PARAM', 'from is not a valid token');
  if (query.state !== undefined && !STATES.includes(query.state as TenantRow['state'])) {
    throw new MatrixError('M_INVALID_PARAM', `state must be one of ${STATES.join(', ')}`);
  }
  const state = query.state as TenantRow['state'] | undefined;
  const rows = await listTenants(deps.root, { afterId: query.from, limit: limit + 1, state });
  const page = rows.slice(0, limit);
  const result: TenantPage = {
    tenants: page.map((row) => tenantView(row, row.hosts)),
    total: await countTenants(deps.root, state),
  };
  if (rows.length > limit) result.next_batch = (page.at(-1) as TenantRow).id;
  return result;
}
