// Presence of local users (table presence): what was last set, with the activity and sync
// timestamps the served state is derived from. A change that others should see takes the
// next position of the presence stream; timestamps alone may be updated without one.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';
import { nextPosition } from './stream-positions.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export type PresenceState = 'online' | 'unavailable' | 'offline';

export interface StoredPresence {
  userId: string;
  state: PresenceState;
  statusMsg: string | null;
  lastActiveTs: number | null;
  lastSyncTs: number | null;
  streamId: number;
}

const COLUMNS = ['user_id', 'state', 'status_msg', 'last_active_ts', 'last_sync_ts', 'stream_id'] as const;

function toPresence(r: { user_id: string; state: string; status_msg: string | null; last_active_ts: string | null; last_sync_ts: string | null; stream_id: string }): StoredPresence {
  return {
    userId: r.user_id,
    state: r.state as PresenceState,
    statusMsg: r.status_msg,
    lastActiveTs: r.last_active_ts === null ? null : Number(r.last_active_ts),
    lastSyncTs: r.last_sync_ts === null ? null : Number(r.last_sync_ts),
    streamId: Number(r.stream_id),
  };
}

/** The row, locked for update when read inside a transaction with `forUpdate`. The lock is
 * taken on the user (a transaction-level advisory lock), not only on the row: a user without
 * a row yet had nothing to lock, so concurrent writers could take the presence stream
 * position and the new row in opposite orders and deadlock. User IDs name their server, so
 * the key is distinct across tenants. */
export async function getPresence(db: Db, userId: string, options: { forUpdate?: boolean } = {}): Promise<StoredPresence | undefined> {
  if (options.forUpdate) await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`presence ${userId}`}, 0))`.execute(db);
  let query = db.selectFrom('presence').select(COLUMNS).where('user_id', '=', userId);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? toPresence(row) : undefined;
}

export interface PresenceWrite {
  userId: string;
  state: PresenceState;
  statusMsg: string | null;
  lastActiveTs: number | null;
  lastSyncTs: number | null;
}

/** Writes the row at the next presence stream position (others will be told), or — with
 * `keepStreamId`, the row's current position — without one (a timestamp-only update).
 * Returns the row's stream position. */
export async function writePresence(trx: Transaction<TenantDatabase>, write: PresenceWrite, options: { keepStreamId?: number } = {}): Promise<number> {
  const streamId = options.keepStreamId ?? (await nextPosition(trx, 'presence'));
  const values = {
    state: write.state,
    status_msg: write.statusMsg,
    last_active_ts: write.lastActiveTs,
    last_sync_ts: write.lastSyncTs,
    stream_id: streamId,
  };
  await trx
    .insertInto('presence')
    .values({ user_id: write.userId, ...values })
    .onConflict((oc) => oc.column('user_id').doUpdateSet(values))
    .execute();
  return streamId;
}

/** Presence rows of the given users changed after `after` (null: all) up to `upTo`. */
export async function presenceOfUsers(db: Db, userIds: readonly string[], after: number | null, upTo: number): Promise<StoredPresence[]> {
  if (userIds.length === 0) return [];
  let query = db
    .selectFrom('presence')
    .select(COLUMNS)
    .where('user_id', 'in', [...new Set(userIds)])
    .where('stream_id', '<=', String(upTo));
  if (after !== null) query = query.where('stream_id', '>', String(after));
  return (await query.execute()).map(toPresence);
}

/** Everyone joined to a room the user is joined to, the user included when joined anywhere. */
export function usersSharingRooms(db: Db, userId: string): Promise<string[]> {
  return usersSharingRoomsWithAny(db, [userId]);
}

/** Everyone joined to a room that one of `userIds` is joined to (those joined anywhere included). */
export async function usersSharingRoomsWithAny(db: Db, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('current_state as mine')
    .innerJoin('current_state as other', 'other.room_id', 'mine.room_id')
    .select('other.state_key as user_id')
    .distinct()
    .where('mine.type', '=', 'm.room.member')
    .where('mine.state_key', 'in', [...new Set(userIds)])
    .where('mine.membership', '=', 'join')
    .where('other.type', '=', 'm.room.member')
    .where('other.membership', '=', 'join')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Whether two users are both joined to at least one room. */
export async function shareARoom(db: Db, userA: string, userB: string): Promise<boolean> {
  const row = await db
    .selectFrom('current_state as a')
    .innerJoin('current_state as b', 'b.room_id', 'a.room_id')
    .select(sql<number>`1`.as('one'))
    .where('a.type', '=', 'm.room.member')
    .where('a.state_key', '=', userA)
    .where('a.membership', '=', 'join')
    .where('b.type', '=', 'm.room.member')
    .where('b.state_key', '=', userB)
    .where('b.membership', '=', 'join')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Members who joined a room the user is joined to after `after` (up to `upTo`), and every
 * member of the rooms the user joined in that window: users who became visible to the user,
 * whose presence a sync must send even when it did not change.
 */
export async function usersNewlySharingRooms(db: Db, userId: string, after: number, upTo: number): Promise<string[]> {
  const rows = await db
    .selectFrom('current_state as mine')
    .innerJoin('current_state as other', 'other.room_id', 'mine.room_id')
    .select('other.state_key as user_id')
    .distinct()
    .where('mine.type', '=', 'm.room.member')
    .where('mine.state_key', '=', userId)
    .where('mine.membership', '=', 'join')
    .where('other.type', '=', 'm.room.member')
    .where('other.membership', '=', 'join')
    .where((eb) =>
      eb.or([
        eb.and([eb('other.stream_ordering', '>', String(after)), eb('other.stream_ordering', '<=', String(upTo))]),
        eb.and([eb('mine.stream_ordering', '>', String(after)), eb('mine.stream_ordering', '<=', String(upTo))]),
      ]),
    )
    .execute();
  return rows.map((r) => r.user_id);
}
