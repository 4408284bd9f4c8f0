// DELETE /user/{userId}/rooms/{roomId}/tags/{tag}: removes one tag of m.tag; removing a tag
// the room does not have succeeds without a change.
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';
import { requireOwnAccountData } from './account-data-rules.ts';
import { requireTagName, TAG_TYPE, tagsOf } from './room-tags.ts';
import { updateAccountData } from './write-account-data.ts';

export async function deleteRoomTag(tenant: TenantContext, requesterId: string, target: { userId: string; roomId: string; tag: string }): Promise<Record<string, never>> {
  requireOwnAccountData(requesterId, target.userId);
  requireRoomIdParam(target.roomId);
  requireTagName(target.tag);
  await updateAccountData(tenant, target.userId, target.roomId, TAG_TYPE, (current) => {
    const tags = tagsOf(current);
    if (!Object.hasOwn(tags, target.tag)) return undefined;
    delete tags[target.tag];
    return { ...(current ?? {}), tags };
  });
  return {};
}
