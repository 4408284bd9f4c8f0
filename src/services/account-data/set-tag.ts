// PUT /user/{userId}/rooms/{roomId}/tags/{tag}: adds or replaces one tag of m.tag.
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';
import { requireOwnAccountData } from './account-data-rules.ts';
import { requireTagContent, requireTagName, TAG_TYPE, tagsOf } from './room-tags.ts';
import { updateAccountData } from './write-account-data.ts';

export async function setRoomTag(
  tenant: TenantContext,
  requesterId: string,
  target: { userId: string; roomId: string; tag: string },
  body: Record<string, unknown>,
): Promise<Record<string, never>> {
  requireOwnAccountData(requesterId, target.userId);
  requireRoomIdParam(target.roomId);
  requireTagName(target.tag);
  const tagContent = requireTagContent(body);
  await updateAccountData(tenant, target.userId, target.roomId, TAG_TYPE, (current) => ({
    ...(current ?? {}),
    tags: { ...tagsOf(current), [target.tag]: tagContent },
  }));
  return {};
}
