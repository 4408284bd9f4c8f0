// Account data of local users (table account_data): global (room_id '') and per room. Every
// write takes the next position of the account_data stream inside its transaction.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';
import { nextPosition } from './stream-positions.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** The room_id column value of global account data. */
export const GLOBAL_ROOM = '';

export interface AccountDataEntry {
  /** Null for global account data. */
  roomId: string | null;
  type: string;
  content: Record<string, unknown>;
  streamId: number;
}

export async function getAccountData(db: Db, userId: string, roomId: string | null, type: string): Promise<Record<string, unknown> | undefined> {
  const row = await db
    .selectFrom('account_data')
    .select('content')
    .where('user_id', '=', userId)
    .where('room_id', '=', roomId ?? GLOBAL_ROOM)
    .where('type', '=', type)
    .executeTakeFirst();
  return row?.content;
}

/** Stores content (replacing any earlier value); returns the stream position. */
export async function putAccountData(trx: Transaction<TenantDatabase>, userId: string, roomId: string | null, type: string, content: Record<string, unknown>): Promise<number> {
  return (await modifyAccountData(trx, userId, roomId, type, () => content)) as number;
}

/** The user's account data changed after `after` (null: all of it) up to and including `upTo`. */
export async function accountDataBetween(db: Db, userId: string, after: number | null, upTo: number): Promise<AccountDataEntry[]> {
  let query = db
    .selectFrom('account_data')
    .select(['room_id', 'type', 'content', 'stream_id'])
    .where('user_id', '=', userId)
    .where('stream_id', '<=', String(upTo));
  if (after !== null) query = query.where('stream_id', '>', String(after));
  const rows = await query.orderBy('stream_id').execute();
  return rows.map((r) => ({ roomId: r.room_id === GLOBAL_ROOM ? null : r.room_id, type: r.type, content: r.content, streamId: Number(r.stream_id) }));
}

/**
 * Read-modify-write: takes the next stream position first (its row lock serialises the
 * tenant's account data writers, so `modify` sees the latest content), then stores what
 * `modify` returns. `modify` returning undefined writes nothing (the position stays taken:
 * a gap is harmless). Returns the position written at, or undefined.
 */
export async function modifyAccountData(
  trx: Transaction<TenantDatabase>,
  userId: string,
  roomId: string | null,
  type: string,
  modify: (current: Record<string, unknown> | undefined, trx: Transaction<TenantDatabase>) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>,
): Promise<number | undefined> {
  const streamId = await nextPosition(trx, 'account_data');
  const content = await modify(await getAccountData(trx, userId, roomId, type), trx);
  if (content === undefined) return undefined;
  const json = JSON.stringify(content);
  await trx
    .insertInto('account_data')
    .values({ user_id: userId, room_id: roomId ?? GLOBAL_ROOM, type, content: json, stream_id: streamId })
    .onConflict((oc) => oc.columns(['user_id', 'room_id', 'type']).doUpdateSet({ content: json, stream_id: streamId }))
    .execute();
  return streamId;
}
