// Read receipts (table receipts): the latest receipt per (room, receipt type, user, thread).
// Every write takes the next position of the receipts stream inside its transaction.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';
import { nextPosition } from './stream-positions.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** The thread_id column value of an unthreaded receipt. */
export const UNTHREADED = '';

export interface StoredReceipt {
  roomId: string;
  receiptType: string;
  userId: string;
  /** Null: unthreaded. */
  threadId: string | null;
  eventId: string;
  /** Stream ordering of the receipted event. */
  eventStream: number;
  ts: number;
  streamId: number;
}

export interface ReceiptKey {
  roomId: string;
  receiptType: string;
  userId: string;
  threadId: string | null;
}

function toReceipt(r: {
  room_id: string;
  receipt_type: string;
  user_id: string;
  thread_id: string;
  event_id: string;
  event_stream: string;
  ts: string;
  stream_id: string;
}): StoredReceipt {
  return {
    roomId: r.room_id,
    receiptType: r.receipt_type,
    userId: r.user_id,
    threadId: r.thread_id === UNTHREADED ? null : r.thread_id,
    eventId: r.event_id,
    eventStream: Number(r.event_stream),
    ts: Number(r.ts),
    streamId: Number(r.stream_id),
  };
}

const COLUMNS = ['room_id', 'receipt_type', 'user_id', 'thread_id', 'event_id', 'event_stream', 'ts', 'stream_id'] as const;

export async function getReceipt(db: Db, key: ReceiptKey): Promise<StoredReceipt | undefined> {
  const row = await db
    .selectFrom('receipts')
    .select(COLUMNS)
    .where('room_id', '=', key.roomId)
    .where('receipt_type', '=', key.receiptType)
    .where('user_id', '=', key.userId)
    .where('thread_id', '=', key.threadId ?? UNTHREADED)
    .executeTakeFirst();
  return row ? toReceipt(row) : undefined;
}

/**
 * Stores a receipt unless the stored one (same key) is for an event at or after it: receipts
 * are "up to" markers and only move forward. Returns the new stream position, or undefined
 * when nothing changed. Takes the stream position first, so concurrent writers of one
 * tenant are serialised and the comparison sees the latest row.
 */
export async function advanceReceipt(
  trx: Transaction<TenantDatabase>,
  receipt: ReceiptKey & { eventId: string; eventStream: number; ts: number },
): Promise<number | undefined> {
  const streamId = await nextPosition(trx, 'receipts');
  const existing = await getReceipt(trx, receipt);
  // The position stays taken: a gap in the stream is harmless.
  if (existing && existing.eventStream >= receipt.eventStream) return undefined;
  const values = {
    event_id: receipt.eventId,
    event_stream: receipt.eventStream,
    ts: receipt.ts,
    stream_id: streamId,
  };
  await trx
    .insertInto('receipts')
    .values({ room_id: receipt.roomId, receipt_type: receipt.receiptType, user_id: receipt.userId, thread_id: receipt.threadId ?? UNTHREADED, ...values })
    .onConflict((oc) => oc.columns(['room_id', 'receipt_type', 'user_id', 'thread_id']).doUpdateSet(values))
    .execute();
  return streamId;
}

/** Receipts in the rooms changed after `after` (null: all) up to and including `upTo`. */
export async function receiptsBetween(db: Db, roomIds: readonly string[], after: number | null, upTo: number): Promise<StoredReceipt[]> {
  if (roomIds.length === 0) return [];
  let query = db
    .selectFrom('receipts')
    .select(COLUMNS)
    .where('room_id', 'in', [...new Set(roomIds)])
    .where('stream_id', '<=', String(upTo));
  if (after !== null) query = query.where('stream_id', '>', String(after));
  const rows = await query.orderBy('stream_id').execute();
  return rows.map(toReceipt);
}
