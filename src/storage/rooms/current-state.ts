// The current resolved state of each room, one row per (type, state_key), with membership
// denormalised so "rooms a user is in" and "members of a room" are index lookups.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { AlsoWrite } from './append-event.ts';

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

/** setCurrentState as part of the event's append statement (storage/rooms/append-event.ts). */
export function setCurrentStateWrite(roomId: string, entry: { type: string; stateKey: string; eventId: string; membership: string | null }): AlsoWrite {
  return {
    kind: 'current-state',
    sql: ({ table, value, written, position }) => `
      INSERT INTO ${table('current_state')} (room_id, type, state_key, event_id, membership, stream_ordering)
      SELECT ${value(0)}::text, ${value(1)}::text, ${value(2)}::text, ${value(3)}::text, ${value(4)}::text, ${position} FROM ${written}
      ON CONFLICT (room_id, type, state_key) DO UPDATE
      SET event_id = excluded.event_id, membership = excluded.membership, stream_ordering = excluded.stream_ordering`,
    values: [roomId, entry.type, entry.stateKey, entry.eventId, entry.membership],
  };
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

export interface UserMembership {
  roomId: string;
  membership: string;
  eventId: string;
  /** Stream position of the membership event. */
  streamOrdering: number;
  /** The user forgot the room while this membership was current. */
  forgotten: boolean;
}

/** The user's membership in one room (undefined: never had one). */
export async function membershipInRoom(db: Db, roomId: string, userId: string): Promise<UserMembership | undefined> {
  const row = await db
    .selectFrom('current_state as c')
    .leftJoin('forgotten_rooms as f', (join) => join.onRef('f.room_id', '=', 'c.room_id').on('f.user_id', '=', userId))
    .select(['c.room_id', 'c.membership', 'c.event_id', 'c.stream_ordering', 'f.membership_event_id'])
    .where('c.room_id', '=', roomId)
    .where('c.type', '=', 'm.room.member')
    .where('c.state_key', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    roomId: row.room_id,
    membership: row.membership ?? 'leave',
    eventId: row.event_id,
    streamOrdering: Number(row.stream_ordering),
    forgotten: row.membership_event_id === row.event_id,
  };
}

/** Per room and membership, how many members have it. One query for all rooms. */
export async function membershipCounts(db: Db, roomIds: readonly string[]): Promise<Map<string, Map<string, number>>> {
  const result = new Map<string, Map<string, number>>();
  if (roomIds.length === 0) return result;
  const rows = await db
    .selectFrom('current_state')
    .select(['room_id', 'membership', (eb) => eb.fn.countAll<string>().as('n')])
    .where('type', '=', 'm.room.member')
    .where('room_id', 'in', [...new Set(roomIds)])
    .groupBy(['room_id', 'membership'])
    .execute();
  for (const row of rows) {
    let counts = result.get(row.room_id);
    if (!counts) result.set(row.room_id, (counts = new Map()));
    counts.set(row.membership ?? 'leave', Number(row.n));
  }
  return result;
}

/**
 * Room heroes (sync summary): per room the first `limit` members other than `userId` in
 * order of their membership event, joined or invited ones first; rooms with none of those
 * get their departed (left, banned) members instead. One query for all rooms.
 */
export async function roomHeroes(db: Db, roomIds: readonly string[], userId: string, limit: number): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (roomIds.length === 0) return result;
  const ranked = db
    .selectFrom('current_state')
    .select([
      'room_id',
      'state_key',
      sql<number>`case when membership in ('join', 'invite') then 0 else 1 end`.as('tier'),
      sql<number>`row_number() over (partition by room_id, (membership in ('join', 'invite')) order by stream_ordering, state_key)`.as('rank'),
    ])
    .where('type', '=', 'm.room.member')
    .where('room_id', 'in', [...new Set(roomIds)])
    .where('state_key', '<>', userId)
    .where('membership', 'in', ['join', 'invite', 'leave', 'ban'])
    .as('ranked');
  const rows = await db
    .selectFrom(ranked)
    .select(['room_id', 'state_key', 'tier', 'rank'])
    .where('rank', '<=', limit)
    .orderBy('room_id')
    .orderBy('tier')
    .orderBy('rank')
    .execute();
  const tierOf = new Map<string, number>();
  for (const row of rows) {
    const tier = Number(row.tier);
    const best = tierOf.get(row.room_id);
    if (best !== undefined && tier > best) continue;
    tierOf.set(row.room_id, tier);
    let heroes = result.get(row.room_id);
    if (!heroes) result.set(row.room_id, (heroes = []));
    heroes.push(row.state_key);
  }
  return result;
}

/** Current state entries of the given types in several rooms (e.g. stripped state). */
export async function currentStateOfTypes(db: Db, roomIds: readonly string[], types: readonly string[]): Promise<Array<{ roomId: string } & CurrentStateEntry>> {
  if (roomIds.length === 0 || types.length === 0) return [];
  const rows = await db
    .selectFrom('current_state')
    .select(['room_id', 'type', 'state_key', 'event_id', 'membership'])
    .where('room_id', 'in', [...new Set(roomIds)])
    .where('type', 'in', [...types])
    .execute();
  return rows.map((r) => ({ roomId: r.room_id, type: r.type, stateKey: r.state_key, eventId: r.event_id, membership: r.membership }));
}

/** The user's current membership in each of several rooms (rooms without one are absent). */
export async function membershipsInRooms(db: Db, roomIds: readonly string[], userId: string): Promise<Map<string, UserMembership>> {
  const result = new Map<string, UserMembership>();
  if (roomIds.length === 0) return result;
  const rows = await db
    .selectFrom('current_state as c')
    .leftJoin('forgotten_rooms as f', (join) => join.onRef('f.room_id', '=', 'c.room_id').on('f.user_id', '=', userId))
    .select(['c.room_id', 'c.membership', 'c.event_id', 'c.stream_ordering', 'f.membership_event_id'])
    .where('c.room_id', 'in', [...new Set(roomIds)])
    .where('c.type', '=', 'm.room.member')
    .where('c.state_key', '=', userId)
    .execute();
  for (const r of rows) {
    result.set(r.room_id, {
      roomId: r.room_id,
      membership: r.membership ?? 'leave',
      eventId: r.event_id,
      streamOrdering: Number(r.stream_ordering),
      forgotten: r.membership_event_id === r.event_id,
    });
  }
  return result;
}

