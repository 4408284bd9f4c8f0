// The published room directory: rooms flagged `published`, with the state that describes
// them and their joined member counts, read in batches.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface PublishedRoomRow {
  roomId: string;
  joinedMembers: number;
}

/** Every published room with its joined member count, most members first. */
export async function listPublishedRooms(db: Db): Promise<PublishedRoomRow[]> {
  const rows = await db
    .selectFrom('rooms as r')
    .leftJoin('current_state as m', (join) =>
      join.onRef('m.room_id', '=', 'r.room_id').on('m.type', '=', 'm.room.member').on('m.membership', '=', 'join'),
    )
    .select(['r.room_id', sql<string>`count(m.state_key)`.as('joined')])
    .where('r.published', '=', true)
    .groupBy('r.room_id')
    .orderBy(sql`count(m.state_key)`, 'desc')
    .orderBy('r.room_id')
    .execute();
  return rows.map((r) => ({ roomId: r.room_id, joinedMembers: Number(r.joined) }));
}

/** Current state event IDs of the given (state_key '') types for many rooms. */
export async function describingStateIds(db: Db, roomIds: string[], types: readonly string[]): Promise<Array<{ roomId: string; type: string; eventId: string }>> {
  if (roomIds.length === 0) return [];
  const rows = await db
    .selectFrom('current_state')
    .select(['room_id', 'type', 'event_id'])
    .where('room_id', 'in', roomIds)
    .where('type', 'in', [...types])
    .where('state_key', '=', '')
    .execute();
  return rows.map((r) => ({ roomId: r.room_id, type: r.type, eventId: r.event_id }));
}
