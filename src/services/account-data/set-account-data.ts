// PUT /user/{userId}/account_data/{type} and PUT /user/{userId}/rooms/{roomId}/account_data/{type}.
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';
import { checkClientWrite, requireOwnAccountData, requireTypeParam } from './account-data-rules.ts';
import { writeAccountData } from './write-account-data.ts';

export async function setAccountData(
  tenant: TenantContext,
  requesterId: string,
  target: { userId: string; roomId: string | null; type: string },
  content: Record<string, unknown>,
): Promise<Record<string, never>> {
  requireOwnAccountData(requesterId, target.userId);
  if (target.roomId !== null) requireRoomIdParam(target.roomId);
  requireTypeParam(target.type);
  checkClientWrite(target.type, content, target.roomId);
  await writeAccountData(tenant, target.userId, target.roomId, target.type, content);
  return {};
}
