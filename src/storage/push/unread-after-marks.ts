// Unread notification counts in one statement: the user's read marks (receipts and the
// server's own marks, as readMarks combines them) and the notifications after them, per
// room and thread. A row counts when it lies after the whole room's mark and after its own
// thread's mark. The main timeline and every thread with a mark of its own are one index
// range each on (user_id, room_id, thread_id, stream_ordering) from the greater of the two
// marks, so notifications already read are never visited; the remaining threads (no mark
// of their own) are read after the room's mark, per room, from the partial index over
// threaded notifications (0013_unread_indexes). One statement text for any number of rooms
// (arrays, not IN lists): /sync runs it on every response that reports a room (a hot
// statement, db/hot-statement.ts).
import { HotStatement, type TenantDb } from '../../db/hot-statement.ts';
import type { UnreadByThread } from './push-actions.ts';
import { summarizeLongCounts } from './push-summaries.ts';
import { MAIN_THREAD, READ_RECEIPT_TYPES, WHOLE_ROOM } from './read-marks.ts';

/** The predicate of the partial index over threaded notifications (migration
 * 0013_unread_indexes), as a literal: the planner uses a partial index only
 * where it can prove the query implies its predicate, which a bound parameter never does. */
const THREADED_ONLY = `'${MAIN_THREAD}'`;

/** SQL expressions the unread-count query is built from (parameters or subqueries). */
export interface UnreadSqlInputs {
  user: string;
  /** text[] of room IDs. */
  rooms: string;
  /** text[] of the receipt types that read. */
  receiptTypes: string;
  upTo: string;
  wholeRoom: string;
  main: string;
}

/** CTEs `unread_marks`, `unread_room_marks`, `unread_threads` and `unread` (room_id,
 * thread_id, n, h, and for summarisable rows bound and tail: see UnreadRow): the counts,
 * to be selected from by the caller. */
export function unreadCtes(table: (name: string) => string, p: UnreadSqlInputs): string {
  return `
    unread_marks AS MATERIALIZED (
      SELECT room_id, thread_id, max(mark) AS mark FROM (
        SELECT room_id, thread_id, event_stream AS mark FROM ${table('receipts')}
        WHERE user_id = ${p.user} AND room_id = ANY(${p.rooms}) AND receipt_type = ANY(${p.receiptTypes})
        UNION ALL
        SELECT room_id, thread_id, stream_ordering FROM ${table('push_read_marks')}
        WHERE user_id = ${p.user} AND room_id = ANY(${p.rooms})
      ) AS all_marks
      GROUP BY room_id, thread_id
    ), unread_room_marks AS MATERIALIZED (
      SELECT r.room_id, coalesce((SELECT m.mark FROM unread_marks AS m WHERE m.room_id = r.room_id AND m.thread_id = ${p.wholeRoom}), 0) AS mark
      FROM unnest(${p.rooms}) AS r(room_id)
    ), unread_threads AS MATERIALIZED (
      SELECT rm.room_id, t.thread_id,
        greatest(rm.mark, coalesce((SELECT m.mark FROM unread_marks AS m WHERE m.room_id = rm.room_id AND m.thread_id = t.thread_id), 0)) AS bound
      FROM unread_room_marks AS rm
      CROSS JOIN LATERAL (
        SELECT ${p.main}::text AS thread_id
        UNION SELECT m.thread_id FROM unread_marks AS m WHERE m.room_id = rm.room_id AND m.thread_id <> ${p.wholeRoom}
      ) AS t
    ), unread AS (
      SELECT b.room_id, b.thread_id, coalesce(s.notifications, 0) + c.n AS n, coalesce(s.highlights, 0) + c.h AS h, b.bound, c.n AS tail
      FROM unread_threads AS b
      LEFT JOIN ${table('push_summaries')} AS s
        ON s.user_id = ${p.user} AND s.room_id = b.room_id AND s.thread_id = b.thread_id AND s.after_mark = b.bound AND s.up_to <= ${p.upTo}
      CROSS JOIN LATERAL (
        SELECT count(*) AS n, count(*) FILTER (WHERE a.highlight) AS h FROM ${table('event_push_actions')} AS a
        WHERE a.user_id = ${p.user} AND a.room_id = b.room_id AND a.thread_id = b.thread_id
          AND a.stream_ordering > coalesce(s.up_to, b.bound) AND a.stream_ordering <= ${p.upTo}
      ) AS c
      WHERE coalesce(s.notifications, 0) + c.n > 0
      UNION ALL
      SELECT rm.room_id, a.thread_id, count(*) AS n, count(*) FILTER (WHERE a.highlight) AS h, NULL::bigint AS bound, NULL::bigint AS tail
      FROM unread_room_marks AS rm
      CROSS JOIN LATERAL (
        SELECT a.thread_id, a.highlight FROM ${table('event_push_actions')} AS a
        WHERE a.user_id = ${p.user} AND a.room_id = rm.room_id AND a.thread_id <> ${THREADED_ONLY}
          AND a.stream_ordering > rm.mark AND a.stream_ordering <= ${p.upTo}
      ) AS a
      WHERE NOT EXISTS (SELECT 1 FROM unread_marks AS m WHERE m.room_id = rm.room_id AND m.thread_id = a.thread_id)
      GROUP BY rm.room_id, a.thread_id
    )`;
}

const UNREAD_AFTER_MARKS = new HotStatement<UnreadRow>(
  (table) =>
    `WITH ${unreadCtes(table, { user: '$1', rooms: '$2::text[]', receiptTypes: '$3::text[]', upTo: '$4', wholeRoom: '$5', main: '$6' })}
    SELECT room_id, thread_id, n, h, bound, tail FROM unread`,
);

export interface UnreadRow {
  room_id: string;
  thread_id: string;
  n: string | number;
  h: string | number;
  /** The read mark the count starts after (null: a thread counted from the room's mark,
   * which is not summarised). */
  bound?: string | number | null;
  /** How many notifications were counted one by one (after the summary, if one applied). */
  tail?: string | number | null;
}

/** Rows of the unread CTE as counts. */
export function unreadFromRows(rows: Iterable<UnreadRow>): UnreadByThread {
  const result: UnreadByThread = new Map();
  for (const row of rows) {
    let threads = result.get(row.room_id);
    if (!threads) result.set(row.room_id, (threads = new Map()));
    threads.set(row.thread_id, { notification_count: Number(row.n), highlight_count: Number(row.h) });
  }
  return result;
}

/** Room ID → thread → counts of the user's notifications after their marks, up to `upTo`
 * (a stream position read from the database), or all of them when undefined. */
export async function unreadAfterMarks(tenant: TenantDb, userId: string, roomIds: readonly string[], upTo: number | undefined): Promise<UnreadByThread> {
  if (roomIds.length === 0) return new Map();
  const rows = await UNREAD_AFTER_MARKS.run(tenant, [userId, [...new Set(roomIds)], READ_RECEIPT_TYPES, upTo ?? Number.MAX_SAFE_INTEGER, WHOLE_ROOM, MAIN_THREAD]);
  // A summary must name a position every notification up to which was already visible;
  // "all of them" names none.
  if (upTo !== undefined) summarizeLongCounts(tenant, userId, upTo, rows);
  return unreadFromRows(rows);
}
