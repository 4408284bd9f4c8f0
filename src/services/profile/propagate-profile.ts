// A profile change reaches others two ways (spec "Events on Change of Profile Information"):
// a new m.room.member join event, carrying the new displayname and avatar_url, in every room
// the user is joined to; and a presence update (presence events carry the profile too).
// Rooms are updated one after another through the send path; a room that refuses the event
// (it cannot for a member re-joining, but state can change meanwhile) is logged and skipped.
import { roomsForUser } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { membershipContent, sendMembership } from '../rooms/membership-event.ts';
import { announcePresence } from '../presence/announce-presence.ts';

export async function propagateProfileChange(tenant: TenantContext, userId: string): Promise<void> {
  const rooms = await roomsForUser(tenant.db, userId, ['join']);
  for (const { roomId } of rooms) {
    try {
      const content = await membershipContent(tenant, 'join', { profileOf: userId });
      await sendMembership(tenant, roomId, userId, userId, content);
    } catch (error) {
      tenant.log.warn({ err: error, roomId, userId }, 'could not propagate a profile change into a room');
    }
  }
  await announcePresence(tenant, userId);
}
