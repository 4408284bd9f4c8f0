// GET /rooms/{roomId}/joined_members: joined users with the profile their member event
// carries. Only for users joined to the room.
import { roomMembers } from '../../storage/rooms/current-state.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireJoined } from './room-access.ts';

export async function getJoinedMembers(tenant: TenantContext, userId: string, roomId: string): Promise<{ joined: Record<string, { display_name?: string; avatar_url?: string }> }> {
  await requireJoined(tenant, userId, roomId);
  const members = await roomMembers(tenant.db, roomId, ['join']);
  const events = await getEvents(tenant.db, members.map((m) => m.eventId));
  const joined: Record<string, { display_name?: string; avatar_url?: string }> = {};
  for (const member of members) {
    const content = events.get(member.eventId)?.redactedBy === null ? (events.get(member.eventId)?.pdu.content ?? {}) : {};
    joined[member.userId] = {
      ...(typeof content.displayname === 'string' ? { display_name: content.displayname } : {}),
      ...(typeof content.avatar_url === 'string' ? { avatar_url: content.avatar_url } : {}),
    };
  }
  return { joined };
}
