// GET /user/{userId}/filter/{filterId}: a stored filter, as uploaded.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getFilter } from '../../storage/filters.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireOwnFilters } from './upload-filter.ts';

export async function downloadFilter(tenant: TenantContext, requesterId: string, userId: string, filterId: string): Promise<Record<string, unknown>> {
  requireOwnFilters(requesterId, userId);
  const filter = await getFilter(tenant.db, userId, filterId);
  if (!filter) throw new MatrixError('M_NOT_FOUND', 'No such filter');
  return filter;
}
