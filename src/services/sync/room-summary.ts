// rooms.join.*.summary: heroes and member counts of several rooms, two queries for all.
import { membershipCounts, roomHeroes } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface RoomSummary {
  'm.heroes': string[];
  'm.joined_member_count': number;
  'm.invited_member_count': number;
}

/** "The first 5 members of the room, ordered by stream ordering, which are joined or invited",
 * never the user; departed members when there are none. */
const HEROES = 5;

export async function roomSummaries(tenant: TenantContext, userId: string, roomIds: readonly string[]): Promise<Map<string, RoomSummary>> {
  const [counts, heroes] = await Promise.all([membershipCounts(tenant.db, roomIds), roomHeroes(tenant.db, roomIds, userId, HEROES)]);
  return new Map(
    roomIds.map((roomId) => [
      roomId,
      {
        'm.heroes': heroes.get(roomId) ?? [],
        'm.joined_member_count': counts.get(roomId)?.get('join') ?? 0,
        'm.invited_member_count': counts.get(roomId)?.get('invite') ?? 0,
      },
    ]),
  );
}
