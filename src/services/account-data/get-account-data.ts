// GET /user/{userId}/account_data/{type} and GET /user/{userId}/rooms/{roomId}/account_data/{type}:
// the content, server-managed types included; 404 M_NOT_FOUND when never set.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getAccountData } from '../../storage/account-data.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';
import { requireOwnAccountData, requireTypeParam } from './account-data-rules.ts';

export async function getAccountDataContent(
  tenant: TenantContext,
  requesterId: string,
  target: { userId: string; roomId: string | null; type: string },
): Promise<Record<string, unknown>> {
  requireOwnAccountData(requesterId, target.userId);
  if (target.roomId !== null) requireRoomIdParam(target.roomId);
  requireTypeParam(target.type);
  const content = await getAccountData(tenant.db, target.userId, target.roomId, target.type);
  if (content === undefined) throw new MatrixError('M_NOT_FOUND', target.roomId === null ? 'Account data not found' : 'Room account data not found');
  return content;
}
