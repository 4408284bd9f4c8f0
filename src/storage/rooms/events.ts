// Persisted events: the PDU as JSON plus the columns that queries filter on.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';
import type { AlsoWrite } from './append-event.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredEvent {
  eventId: string;
  streamOrdering: number;
  roomId: string;
  pdu: Pdu;
  redactedBy: string | null;
  /** The state event this one replaced (state events only). */
  replacesState: string | null;
  txn?: { userId: string; deviceId: string; txnId: string };
}

function toStored(row: {
  event_id: string;
  stream_ordering: string;
  room_id: string;
  pdu: Record<string, unknown>;
  redacted_by: string | null;
  txn_user_id: string | null;
  txn_device_id: string | null;
  txn_id: string | null;
  replaces_state: string | null;
}): StoredEvent {
  return {
    eventId: row.event_id,
    streamOrdering: Number(row.stream_ordering),
    roomId: row.room_id,
    pdu: row.pdu as unknown as Pdu,
    redactedBy: row.redacted_by,
    replacesState: row.replaces_state,
    ...(row.txn_id && row.txn_user_id && row.txn_device_id
      ? { txn: { userId: row.txn_user_id, deviceId: row.txn_device_id, txnId: row.txn_id } }
      : {}),
  };
}

const COLUMNS = ['event_id', 'stream_ordering', 'room_id', 'pdu', 'redacted_by', 'txn_user_id', 'txn_device_id', 'txn_id', 'replaces_state'] as const;

export async function getEvent(db: Db, eventId: string): Promise<StoredEvent | undefined> {
  const row = await db.selectFrom('events').select(COLUMNS).where('event_id', '=', eventId).executeTakeFirst();
  return row ? toStored(row) : undefined;
}

export async function getEvents(db: Db, eventIds: readonly string[]): Promise<Map<string, StoredEvent>> {
  const result = new Map<string, StoredEvent>();
  if (eventIds.length === 0) return result;
  const rows = await db.selectFrom('events').select(COLUMNS).where('event_id', 'in', [...new Set(eventIds)]).execute();
  for (const row of rows) result.set(row.event_id, toStored(row));
  return result;
}

export async function getEventByTxn(db: Db, txn: { userId: string; deviceId: string; txnId: string }): Promise<StoredEvent | undefined> {
  const row = await db
    .selectFrom('events')
    .select(COLUMNS)
    .where('txn_user_id', '=', txn.userId)
    .where('txn_device_id', '=', txn.deviceId)
    .where('txn_id', '=', txn.txnId)
    .executeTakeFirst();
  return row ? toStored(row) : undefined;
}

/** Events of a room in stream order within (from, to], newest first when `backwards`. */
export async function roomEventsBetween(
  db: Db,
  roomId: string,
  options: { after?: number; upTo?: number; limit: number; backwards: boolean },
): Promise<StoredEvent[]> {
  let query = db.selectFrom('events').select(COLUMNS).where('room_id', '=', roomId).where('outlier', '=', false).where('soft_failed', '=', false);
  if (options.after !== undefined) query = query.where('stream_ordering', '>', String(options.after));
  if (options.upTo !== undefined) query = query.where('stream_ordering', '<=', String(options.upTo));
  const rows = await query.orderBy('stream_ordering', options.backwards ? 'desc' : 'asc').limit(options.limit).execute();
  return rows.map(toStored);
}

export async function getForwardExtremities(db: Db, roomId: string): Promise<string[]> {
  const row = await db.selectFrom('rooms').select('forward_extremities').where('room_id', '=', roomId).executeTakeFirst();
  return row?.forward_extremities ?? [];
}

/** A stream range of one room: events with after < stream_ordering <= upTo (after null: from the start). */
export interface RoomWindow {
  roomId: string;
  after: number | null;
  upTo: number;
}

/**
 * Events of several rooms at once, one query: per window the `limit` events nearest to
 * one end, newest first when `backwards` (else oldest first). Timeline events only: no
 * outliers, soft-failed or rejected events.
 */
export async function eventsInWindows(db: Db, windows: readonly RoomWindow[], limit: number, backwards: boolean): Promise<Map<string, StoredEvent[]>> {
  const result = new Map<string, StoredEvent[]>();
  if (windows.length === 0 || limit <= 0) return result;
  for (const w of windows) result.set(w.roomId, []);
  const rooms = sql`(select unnest(${windows.map((w) => w.roomId)}::text[]) as room_id,
    unnest(${windows.map((w) => String(w.after ?? Number.MIN_SAFE_INTEGER))}::bigint[]) as after_pos,
    unnest(${windows.map((w) => String(w.upTo))}::bigint[]) as upto_pos)`;
  const rows = await db
    .selectFrom(rooms.as('w'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events as e')
          .select(['e.event_id', 'e.stream_ordering', 'e.room_id', 'e.pdu', 'e.redacted_by', 'e.txn_user_id', 'e.txn_device_id', 'e.txn_id', 'e.replaces_state'])
          .where(sql<boolean>`e.room_id = w.room_id and e.stream_ordering > w.after_pos and e.stream_ordering <= w.upto_pos`)
          .where('e.outlier', '=', false)
          .where('e.soft_failed', '=', false)
          .where('e.rejected_reason', 'is', null)
          .orderBy('e.stream_ordering', backwards ? 'desc' : 'asc')
          .limit(limit)
          .as('ev'),
      (join) => join.onTrue(),
    )
    .select(['ev.event_id', 'ev.stream_ordering', 'ev.room_id', 'ev.pdu', 'ev.redacted_by', 'ev.txn_user_id', 'ev.txn_device_id', 'ev.txn_id', 'ev.replaces_state'])
    .execute();
  for (const row of rows) result.get(row.room_id)?.push(toStored(row));
  const order = backwards ? -1 : 1;
  for (const list of result.values()) list.sort((a, b) => order * (a.streamOrdering - b.streamOrdering));
  return result;
}

/** markRedacted as part of the redaction's append statement (storage/rooms/append-event.ts). */
export function markRedactedWrite(roomId: string, targetEventId: string, redactionEventId: string): AlsoWrite {
  return {
    kind: 'mark-redacted',
    sql: ({ table, value, written }) => `
      UPDATE ${table('events')} SET redacted_by = ${value(0)}
      WHERE event_id = ${value(1)} AND room_id = ${value(2)} AND redacted_by IS NULL AND EXISTS (SELECT 1 FROM ${written})`,
    values: [redactionEventId, targetEventId, roomId],
  };
}

/** Per room: the stream position of the user's latest `join` event (membership history, not current state). */
export async function lastJoinPositions(db: Db, roomIds: readonly string[], userId: string): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (roomIds.length === 0) return result;
  const rows = await db
    .selectFrom('events')
    .select(['room_id', (eb) => eb.fn.max('stream_ordering').as('position')])
    .where('type', '=', 'm.room.member')
    .where('state_key', '=', userId)
    .where('room_id', 'in', [...new Set(roomIds)])
    .where(sql<boolean>`pdu->'content'->>'membership' = 'join'`)
    .groupBy('room_id')
    .execute();
  for (const row of rows) result.set(row.room_id, Number(row.position));
  return result;
}

/** Events relating to `parentId` (m.relates_to), optionally of one rel_type and event type,
 * within stream positions (after, upTo], newest first when `backwards`. */
export async function relatedEvents(
  db: Db,
  roomId: string,
  parentId: string,
  options: { relType?: string; eventType?: string; after?: number; upTo?: number; limit: number; backwards: boolean },
): Promise<StoredEvent[]> {
  let query = db
    .selectFrom('events')
    .select(COLUMNS)
    .where('relates_to_id', '=', parentId)
    .where('room_id', '=', roomId)
    .where('outlier', '=', false)
    .where('soft_failed', '=', false);
  if (options.relType !== undefined) query = query.where('rel_type', '=', options.relType);
  if (options.eventType !== undefined) query = query.where('type', '=', options.eventType);
  if (options.after !== undefined) query = query.where('stream_ordering', '>', String(options.after));
  if (options.upTo !== undefined) query = query.where('stream_ordering', '<=', String(options.upTo));
  const rows = await query.orderBy('stream_ordering', options.backwards ? 'desc' : 'asc').limit(options.limit).execute();
  return rows.map(toStored);
}

export interface ChildSummary {
  parentId: string;
  count: number;
  latestId: string;
  /** Each sender's newest child (edits count only when sent by the parent's sender). */
  latestBySender: Map<string, string>;
}

/** Per relation type and parent: how many events relate to it with that type, the newest
 * one, and each sender's newest one. One query for all types. */
export async function relationSummaries(db: Db, parentIds: readonly string[], relTypes: readonly string[]): Promise<Map<string, Map<string, ChildSummary>>> {
  const byType = new Map<string, Map<string, ChildSummary>>(relTypes.map((t) => [t, new Map()]));
  if (parentIds.length === 0 || relTypes.length === 0) return byType;
  const rows = await db
    .selectFrom('events')
    .select(['relates_to_id', 'rel_type', 'event_id', 'sender', 'stream_ordering'])
    .where('relates_to_id', 'in', [...new Set(parentIds)])
    .where('rel_type', 'in', [...relTypes])
    .where('outlier', '=', false)
    .where('soft_failed', '=', false)
    .orderBy('stream_ordering', 'asc')
    .execute();
  for (const row of rows) {
    const summaries = byType.get(row.rel_type as string);
    if (!summaries) continue;
    const parentId = row.relates_to_id as string;
    const summary = summaries.get(parentId) ?? { parentId, count: 0, latestId: row.event_id, latestBySender: new Map<string, string>() };
    summary.count++;
    summary.latestId = row.event_id;
    summary.latestBySender.set(row.sender, row.event_id);
    summaries.set(parentId, summary);
  }
  return byType;
}

/** Thread roots of a room, the most recently active thread first: each root with the stream
 * position of its newest reply. `before` pages by that position; `participant` keeps threads
 * the user started or replied to. */
export async function threadRoots(
  db: Db,
  roomId: string,
  options: { before?: number; limit: number; participant?: string },
): Promise<Array<{ rootId: string; latest: number }>> {
  let query = db
    .selectFrom('events as reply')
    .select(['reply.relates_to_id as root_id', (eb) => eb.fn.max('reply.stream_ordering').as('latest')])
    .where('reply.room_id', '=', roomId)
    .where('reply.rel_type', '=', 'm.thread')
    .where('reply.soft_failed', '=', false)
    .groupBy('reply.relates_to_id');
  if (options.participant !== undefined) {
    const participant = options.participant;
    query = query.having((eb) =>
      eb.or([
        eb(eb.fn.count(eb.case().when('reply.sender', '=', participant).then(1).end()), '>', 0),
        eb.exists(
          eb
            .selectFrom('events as root')
            .select('root.event_id')
            .whereRef('root.event_id', '=', 'reply.relates_to_id')
            .where('root.sender', '=', participant),
        ),
      ]),
    );
  }
  if (options.before !== undefined) query = query.having((eb) => eb(eb.fn.max('reply.stream_ordering'), '<', String(options.before)));
  const rows = await query.orderBy('latest', 'desc').limit(options.limit).execute();
  return rows.map((r) => ({ rootId: r.root_id as string, latest: Number(r.latest) }));
}
