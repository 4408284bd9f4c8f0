// Notifications (table event_push_actions): one row per event whose push rules told a user
// "notify", with the thread it belongs to and whether it highlights. Unread counts are the
// rows after the user's read marks; GET /notifications pages through them newest first.
// Rows are only ever inserted, at the position their event takes on the stream as it is
// persisted (never for events placed before it, such as backfilled ones): the unread count
// summaries (push-summaries.ts) rely on it.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { PushAction } from '../../protocol/push/index.ts';
import type { AlsoWrite } from '../rooms/append-event.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface NewPushAction {
  userId: string;
  highlight: boolean;
  actions: readonly PushAction[];
}

export interface PushActionsOfEvent {
  eventId: string;
  roomId: string;
  threadId: string;
  streamOrdering: number;
  notifiedTs: number;
  recipients: readonly NewPushAction[];
}

/** insertPushActions as part of the event's append statement (storage/rooms/append-event.ts). */
export function insertPushActionsWrite(event: Omit<PushActionsOfEvent, 'streamOrdering'>): AlsoWrite {
  const users = event.recipients.map((r) => r.userId);
  const highlights = event.recipients.map((r) => r.highlight);
  const actions = event.recipients.map((r) => JSON.stringify(r.actions));
  return {
    kind: 'push-actions',
    sql: ({ table, value, written, position }) => `
      INSERT INTO ${table('event_push_actions')} (user_id, event_id, room_id, thread_id, stream_ordering, highlight, actions, notified_ts)
      SELECT r.user_id, ${value(0)}::text, ${value(1)}::text, ${value(2)}::text, ${position}, r.highlight, r.actions::jsonb, ${value(3)}::bigint
      FROM ${written}, unnest(${value(4)}::text[], ${value(5)}::boolean[], ${value(6)}::text[]) AS r(user_id, highlight, actions)`,
    values: [event.eventId, event.roomId, event.threadId, event.notifiedTs, users, highlights, actions],
  };
}

export interface ThreadCounts {
  notification_count: number;
  highlight_count: number;
}

/** Room ID → thread ('main' or a root's event ID) → unread counts; threads without any are absent. */
export type UnreadByThread = Map<string, Map<string, ThreadCounts>>;

export interface StoredNotification {
  eventId: string;
  roomId: string;
  threadId: string;
  streamOrdering: number;
  highlight: boolean;
  actions: PushAction[];
  notifiedTs: number;
}

/** The user's notifications before `before` (newest first), at most `limit`. */
export async function listNotifications(
  db: Db,
  userId: string,
  options: { before?: number; limit: number; onlyHighlight: boolean },
): Promise<StoredNotification[]> {
  let query = db
    .selectFrom('event_push_actions')
    .select(['event_id', 'room_id', 'thread_id', 'stream_ordering', 'highlight', 'actions', 'notified_ts'])
    .where('user_id', '=', userId);
  if (options.before !== undefined) query = query.where('stream_ordering', '<', String(options.before));
  if (options.onlyHighlight) query = query.where('highlight', '=', true);
  const rows = await query.orderBy('stream_ordering', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({
    eventId: r.event_id,
    roomId: r.room_id,
    threadId: r.thread_id,
    streamOrdering: Number(r.stream_ordering),
    highlight: r.highlight,
    actions: (Array.isArray(r.actions) ? r.actions : []) as PushAction[],
    notifiedTs: Number(r.notified_ts),
  }));
}
