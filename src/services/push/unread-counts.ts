// Unread notification counts for /sync (`unread_notifications`, `unread_thread_notifications`):
// per room, the notifications after the user's read marks — the latest m.read or
// m.read.private receipt (whichever is further), unthreaded for the whole room or threaded
// for its thread, or the user's own latest event there. One query for any number of rooms.
import type { ThreadCounts, UnreadByThread } from '../../storage/push/push-actions.ts';
import { unreadAfterMarks } from '../../storage/push/unread-after-marks.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { MAIN_THREAD } from '../../storage/push/read-marks.ts';

export type { ThreadCounts } from '../../storage/push/push-actions.ts';

export interface RoomUnreadCounts {
  /** The main timeline only: `unread_notifications` when the filter asks for thread counts. */
  main: ThreadCounts;
  /** Thread root event ID → counts; threads without unread notifications are absent
   * (`unread_thread_notifications`). */
  threads: Map<string, ThreadCounts>;
  /** The whole room, threads included: `unread_notifications` otherwise. */
  total: ThreadCounts;
}

export interface UnreadCountsOptions {
  /** Count only events up to this stream position (the sync's `next_batch` events position),
   * so the counts match the timeline they are sent with. */
  upTo?: number;
  /** Counts already read (with the sync's first query) for these rooms, up to `upTo`. */
  known?: KnownUnreadCounts;
}

export interface KnownUnreadCounts {
  rooms: ReadonlySet<string>;
  counts: UnreadByThread;
}

function zero(): ThreadCounts {
  return { notification_count: 0, highlight_count: 0 };
}

/** Counts for each of `roomIds` (every room gets an entry; zero when nothing is unread). */
export async function unreadCounts(
  tenant: TenantContext,
  userId: string,
  roomIds: readonly string[],
  options: UnreadCountsOptions = {},
): Promise<Map<string, RoomUnreadCounts>> {
  const result = new Map<string, RoomUnreadCounts>();
  if (roomIds.length === 0) return result;
  const known = options.known;
  const unknown = known ? roomIds.filter((id) => !known.rooms.has(id)) : roomIds;
  const read: UnreadByThread = unknown.length === 0 ? new Map() : await unreadAfterMarks(tenant, userId, unknown, options.upTo);
  const countsOf = (roomId: string) => (known?.rooms.has(roomId) ? known.counts : read).get(roomId);
  for (const roomId of roomIds) {
    const room: RoomUnreadCounts = { main: zero(), threads: new Map(), total: zero() };
    for (const [threadId, c] of countsOf(roomId) ?? []) {
      if (threadId === MAIN_THREAD) room.main = c;
      else room.threads.set(threadId, c);
      room.total = {
        notification_count: room.total.notification_count + c.notification_count,
        highlight_count: room.total.highlight_count + c.highlight_count,
      };
    }
    result.set(roomId, room);
  }
  return result;
}
