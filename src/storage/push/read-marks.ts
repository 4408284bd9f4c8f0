// Where a user has read up to, per room and thread: the latest m.read / m.read.private
// receipt (table receipts, written by the receipts module) or a mark the server set itself
// (table push_read_marks: sending an event, markRead). Thread keys: '' the whole room (an
// unthreaded receipt), 'main' the main timeline, otherwise a thread root's event ID.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { AlsoWrite } from '../rooms/append-event.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** The thread key of marks that cover the whole room. */
export const WHOLE_ROOM = '';

/** The thread key of the main timeline (events in no thread). */
export const MAIN_THREAD = 'main';

/** The receipt types that clear notifications (spec "Marking notifications as read"). */
export const READ_RECEIPT_TYPES: readonly string[] = ['m.read', 'm.read.private'];

/** Room ID → thread key → the stream ordering read up to (the furthest of all sources). */
export type ReadMarks = Map<string, Map<string, number>>;

/** Moves a server-set mark forward (never back). */
export async function advanceReadMark(
  trx: Transaction<TenantDatabase>,
  mark: { userId: string; roomId: string; threadId: string; streamOrdering: number },
): Promise<void> {
  await trx
    .insertInto('push_read_marks')
    .values({ user_id: mark.userId, room_id: mark.roomId, thread_id: mark.threadId, stream_ordering: mark.streamOrdering })
    .onConflict((oc) =>
      oc.columns(['user_id', 'room_id', 'thread_id']).doUpdateSet({ stream_ordering: sql`greatest(push_read_marks.stream_ordering, excluded.stream_ordering)` }),
    )
    .execute();
}

/** advanceReadMark to the event's own position, as part of its append statement
 * (storage/rooms/append-event.ts). */
export function advanceReadMarkWrite(mark: { userId: string; roomId: string; threadId: string }): AlsoWrite {
  return {
    kind: 'advance-read-mark',
    sql: ({ table, value, written, position }) => `
      INSERT INTO ${table('push_read_marks')} (user_id, room_id, thread_id, stream_ordering)
      SELECT ${value(0)}::text, ${value(1)}::text, ${value(2)}::text, ${position} FROM ${written}
      ON CONFLICT (user_id, room_id, thread_id) DO UPDATE
      SET stream_ordering = greatest(push_read_marks.stream_ordering, excluded.stream_ordering)`,
    values: [mark.userId, mark.roomId, mark.threadId],
  };
}

/** The user's read marks in the rooms, receipts and server-set marks combined. */
export async function readMarks(db: Db, userId: string, roomIds: readonly string[]): Promise<ReadMarks> {
  const marks: ReadMarks = new Map();
  if (roomIds.length === 0) return marks;
  const rooms = [...new Set(roomIds)];
  // One query: receipts' marks and the server's own marks, combined below.
  const rows = await db
    .selectFrom('receipts')
    .select(['room_id', 'thread_id', (eb) => eb.fn.max('event_stream').as('mark')])
    .where('user_id', '=', userId)
    .where('room_id', 'in', rooms)
    .where('receipt_type', 'in', [...READ_RECEIPT_TYPES])
    .groupBy(['room_id', 'thread_id'])
    .unionAll((eb) => eb.selectFrom('push_read_marks').select(['room_id', 'thread_id', 'stream_ordering as mark']).where('user_id', '=', userId).where('room_id', 'in', rooms))
    .execute();
  for (const row of rows) {
    let threads = marks.get(row.room_id);
    if (!threads) marks.set(row.room_id, (threads = new Map()));
    const value = Number(row.mark);
    if (value > (threads.get(row.thread_id) ?? 0)) threads.set(row.thread_id, value);
  }
  return marks;
}

/** The position `threadId` of a room is read up to: its own mark or the whole room's. */
export function readUpTo(marks: ReadMarks, roomId: string, threadId: string): number {
  const threads = marks.get(roomId);
  if (!threads) return 0;
  return Math.max(threads.get(WHOLE_ROOM) ?? 0, threads.get(threadId) ?? 0);
}
