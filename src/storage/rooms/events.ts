// Persisted events: the PDU as JSON plus the columns that queries filter on.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredEvent {
  eventId: string;
  streamOrdering: number;
  roomId: string;
  pdu: Pdu;
  redactedBy: string | null;
  txn?: { userId: string; deviceId: string; txnId: string };
}

export interface NewEvent {
  eventId: string;
  /** The room (not always in the PDU: a v12 create event has no room_id). */
  roomId: string;
  pdu: Pdu;
  streamOrdering: number;
  relatesTo?: { eventId: string; relType: string };
  txn?: { userId: string; deviceId: string; txnId: string };
}

export async function insertEvent(trx: Transaction<TenantDatabase>, event: NewEvent): Promise<void> {
  const { pdu } = event;
  await trx
    .insertInto('events')
    .values({
      event_id: event.eventId,
      stream_ordering: event.streamOrdering,
      room_id: event.roomId,
      type: pdu.type,
      state_key: pdu.state_key ?? null,
      sender: pdu.sender,
      depth: pdu.depth,
      origin_server_ts: pdu.origin_server_ts,
      pdu: JSON.stringify(pdu),
      rejected_reason: null,
      redacted_by: null,
      relates_to_id: event.relatesTo?.eventId ?? null,
      rel_type: event.relatesTo?.relType ?? null,
      txn_user_id: event.txn?.userId ?? null,
      txn_device_id: event.txn?.deviceId ?? null,
      txn_id: event.txn?.txnId ?? null,
    })
    .execute();
  const prevIds = pdu.prev_events.map((p) => (typeof p === 'string' ? p : p[0]));
  if (prevIds.length > 0) {
    await trx.insertInto('event_edges').values(prevIds.map((prev) => ({ event_id: event.eventId, prev_event_id: prev }))).execute();
  }
  const authIds = pdu.auth_events.map((a) => (typeof a === 'string' ? a : a[0]));
  if (authIds.length > 0) {
    await trx.insertInto('event_auth').values(authIds.map((auth) => ({ event_id: event.eventId, auth_event_id: auth }))).execute();
  }
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
}): StoredEvent {
  return {
    eventId: row.event_id,
    streamOrdering: Number(row.stream_ordering),
    roomId: row.room_id,
    pdu: row.pdu as unknown as Pdu,
    redactedBy: row.redacted_by,
    ...(row.txn_id && row.txn_user_id && row.txn_device_id
      ? { txn: { userId: row.txn_user_id, deviceId: row.txn_device_id, txnId: row.txn_id } }
      : {}),
  };
}

const COLUMNS = ['event_id', 'stream_ordering', 'room_id', 'pdu', 'redacted_by', 'txn_user_id', 'txn_device_id', 'txn_id'] as const;

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
  const rows = await db.selectFrom('forward_extremities').select('event_id').where('room_id', '=', roomId).execute();
  return rows.map((r) => r.event_id);
}

export async function replaceForwardExtremities(trx: Transaction<TenantDatabase>, roomId: string, removed: string[], added: string): Promise<void> {
  if (removed.length > 0) {
    await trx.deleteFrom('forward_extremities').where('room_id', '=', roomId).where('event_id', 'in', removed).execute();
  }
  await trx.insertInto('forward_extremities').values({ room_id: roomId, event_id: added }).onConflict((oc) => oc.doNothing()).execute();
}
