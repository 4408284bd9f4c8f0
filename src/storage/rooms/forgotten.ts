// Rooms a user forgot (POST /rooms/{roomId}/forget). A row names the membership event that
// was current when the user forgot the room; any later membership event un-forgets it.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export async function forgetRoom(db: Db, userId: string, roomId: string, membershipEventId: string): Promise<void> {
  await db
    .insertInto('forgotten_rooms')
    .values({ user_id: userId, room_id: roomId, membership_event_id: membershipEventId })
    .onConflict((oc) => oc.columns(['user_id', 'room_id']).doUpdateSet({ membership_event_id: membershipEventId }))
    .execute();
}
