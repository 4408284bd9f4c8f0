// /sync's `filter` parameter: inline JSON (starts with "{") or the ID of one of the user's
// stored filters.
import { MatrixError } from '../../errors/matrix-error.ts';
import { parseSyncFilterParam, validateFilter, type Filter } from '../../protocol/filters/index.ts';
import { getFilter } from '../../storage/filters.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export async function resolveSyncFilter(tenant: TenantContext, userId: string, param: string | undefined): Promise<Filter | undefined> {
  if (param === undefined || param === '') return undefined;
  const parsed = parseSyncFilterParam(param);
  if (!parsed.ok) throw new MatrixError(parsed.errcode, parsed.error);
  if (parsed.kind === 'inline') return parsed.filter;
  const stored = await getFilter(tenant.db, userId, parsed.filterId);
  if (!stored) throw new MatrixError('M_INVALID_PARAM', `Unknown filter ${parsed.filterId}`);
  const validation = validateFilter(stored);
  if (!validation.ok) throw new MatrixError('M_INVALID_PARAM', `Stored filter ${parsed.filterId} is no longer valid: ${validation.error}`);
  return validation.filter;
}
