// Summaries of unread counts (table push_summaries, migration 0014_push_summaries): the
// number of a user's notifications in a room's thread after a read mark, up to a stream
// position. The unread query (unread-after-marks.ts) adds to a summary of the current mark
// only the notifications after it, so a user who never reads a busy room no longer has
// every /sync count all of them.
//
// A summary stays exact because notifications are only ever inserted, at the stream
// position of their event, and positions become visible in order (a tenant's appends take
// them under the stream_positions row lock until they commit): every notification at or
// before a position the count saw was there to be counted. Nothing may delete or change a
// notification without deleting the user's summaries. A summary of an earlier read mark is
// ignored (and replaced by the next one written).
import { HotStatement, type TenantDb } from '../../db/hot-statement.ts';
import type { UnreadRow } from './unread-after-marks.ts';

/** A count that read at least this many notifications one by one is summarised. */
export const SUMMARIZE_AFTER = 64;

// Per row of the arrays: room, thread, read mark, count, highlights; $1 the user, $2 the
// position counted up to. A newer summary (or one of another mark) is never replaced by an
// older one.
const UPSERT_SUMMARIES = new HotStatement(
  (table) => `
    INSERT INTO ${table('push_summaries')} AS s (user_id, room_id, thread_id, after_mark, up_to, notifications, highlights)
    SELECT $1, r.room_id, r.thread_id, r.after_mark, $2, r.notifications, r.highlights
    FROM unnest($3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[]) AS r(room_id, thread_id, after_mark, notifications, highlights)
    ON CONFLICT (user_id, room_id, thread_id) DO UPDATE
    SET after_mark = excluded.after_mark, up_to = excluded.up_to, notifications = excluded.notifications, highlights = excluded.highlights
    WHERE s.after_mark < excluded.after_mark OR (s.after_mark = excluded.after_mark AND s.up_to < excluded.up_to)`,
);

/** Writes summaries of the counts that read many notifications one by one, in the
 * background: a summary only saves work, so a failed write costs the next count its speed,
 * never its result. `upTo` is the position the counts went up to, read from the database
 * (every notification at or before it was visible to the count), never "everything". */
export function summarizeLongCounts(tenant: TenantDb & { log?: { debug(obj: object, msg: string): void } }, userId: string, upTo: number, rows: readonly UnreadRow[]): void {
  const long = rows.filter((r) => r.bound !== undefined && r.bound !== null && Number(r.tail ?? 0) >= SUMMARIZE_AFTER);
  if (long.length === 0) return;
  UPSERT_SUMMARIES.run(tenant, [
    userId,
    upTo,
    long.map((r) => r.room_id),
    long.map((r) => r.thread_id),
    long.map((r) => String(r.bound)),
    long.map((r) => String(r.n)),
    long.map((r) => String(r.h)),
  ]).catch((error: unknown) => tenant.log?.debug({ err: error }, 'could not write unread count summaries'));
}
