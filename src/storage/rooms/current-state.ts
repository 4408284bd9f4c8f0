// The current resolved state of each room, one row per (type, state_key), with membership
// denormalised so "rooms a user is in" and "members of a room" are index lookups.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface CurrentStateEntry {
  type: string;
  stateKey: string;
  eventId: string;
  membership: string | null;
}

export async function getCurrentState(db: Db, roomId: string): Promise<CurrentStateEntry[]> {
  const rows = await db.selectFrom('current_state').select(['type', 'state_key', 'event_id', 'membership']).where('room_id', '=', roomId).execute();
  return rows.map((r) => ({ type: r.type, stateKey: r.state_key, eventId: r.event_id, membership: r.membership }));
}

export async function getCurrentStateEventId(db: Db, roomId: string, type: string, stateKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('current_state')
    .select('event_id')
    .where('room_id', '=', roomId)
    .where('type', '=', type)
    .where('state_key', '=', stateKey)
    .executeTakeFirst();
  return row?.event_id;
}

export async function setCurrentState(
  trx: Transaction<TenantDatabase>,
  roomId: string,
  entry: { type: string; stateKey: string; eventId: string; membership: string | null; streamOrdering: number },
): Promise<void> {
  await trx
    .insertInto('current_state')
    .values({
      room_id: roomId,
      type: entry.type,
      state_key: entry.stateKey,
      event_id: entry.eventId,
      membership: entry.membership,
      stream_ordering: entry.streamOrdering,
    })
    .onConflict((oc) =>
      oc.columns(['room_id', 'type', 'state_key']).doUpdateSet({
        event_id: entry.eventId,
        membership: entry.membership,
        stream_ordering: entry.streamOrdering,
      }),
    )
    .execute();
}

/** Rooms where the user's current membership is one of `memberships`. */
export async function roomsForUser(db: Db, userId: string, memberships: string[]): Promise<Array<{ roomId: string; membership: string; eventId: string }>> {
  const rows = await db
    .selectFrom('current_state')
    .select(['room_id', 'membership', 'event_id'])
    .where('type', '=', 'm.room.member')
    .where('state_key', '=', userId)
    .where('membership', 'in', memberships)
    .execute();
  return rows.map((r) => ({ roomId: r.room_id, membership: r.membership as string, eventId: r.event_id }));
}

/** Users whose current membership in the room is one of `memberships`. */
export async function roomMembers(db: Db, roomId: string, memberships: string[]): Promise<Array<{ userId: string; membership: string; eventId: string }>> {
  const rows = await db
    .selectFrom('current_state')
    .select(['state_key', 'membership', 'event_id'])
    .where('room_id', '=', roomId)
    .where('type', '=', 'm.room.member')
    .where('membership', 'in', memberships)
    .execute();
  return rows.map((r) => ({ userId: r.state_key, membership: r.membership as string, eventId: r.event_id }));
}
