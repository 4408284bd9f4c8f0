// POST /user/{userId}/filter: stores a filter for later /sync calls; its ID is a number, so
// it never starts with "{" (inline filters do).
import { MatrixError } from '../../errors/matrix-error.ts';
import { validateFilter } from '../../protocol/filters/index.ts';
import { insertFilter } from '../../storage/filters.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export function requireOwnFilters(requesterId: string, userId: string): void {
  if (requesterId !== userId) throw new MatrixError('M_FORBIDDEN', 'You can only manage your own filters');
}

export async function uploadFilter(tenant: TenantContext, requesterId: string, userId: string, body: unknown): Promise<{ filter_id: string }> {
  requireOwnFilters(requesterId, userId);
  const validation = validateFilter(body);
  if (!validation.ok) throw new MatrixError(validation.errcode, validation.error);
  return { filter_id: await insertFilter(tenant.db, userId, body as Record<string, unknown>, Date.now()) };
}
