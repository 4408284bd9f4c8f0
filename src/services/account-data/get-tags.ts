// GET /user/{userId}/rooms/{roomId}/tags.
import { getAccountData } from '../../storage/account-data.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';
import { requireOwnAccountData } from './account-data-rules.ts';
import { TAG_TYPE, tagsOf, type Tags } from './room-tags.ts';

export async function getRoomTags(tenant: TenantContext, requesterId: string, userId: string, roomId: string): Promise<{ tags: Tags }> {
  requireOwnAccountData(requesterId, userId);
  requireRoomIdParam(roomId);
  return { tags: tagsOf(await getAccountData(tenant.db, userId, roomId, TAG_TYPE)) };
}
