// Per-user data beside the rooms: account data (global and per room, including m.tag and
// m.fully_read), read receipts and presence. Each change takes the next position of its own
// stream (stream_positions), so /sync reports exactly what changed since its token.
// Typing notifications are not stored: they live in memory per tenant (TenantCaches).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // room_id '' holds global account data; otherwise the room the data is scoped to.
  await db.schema
    .createTable('account_data')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addColumn('stream_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('account_data_pk', ['user_id', 'room_id', 'type'])
    .execute();
  await db.schema.createIndex('account_data_user_stream').on('account_data').columns(['user_id', 'stream_id']).execute();

  // The latest receipt per (room, type, user, thread); thread_id '' is an unthreaded receipt.
  // event_stream: the stream ordering of the receipted event (receipts only move forward).
  await db.schema
    .createTable('receipts')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('receipt_type', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_stream', 'bigint', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('stream_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('receipts_pk', ['room_id', 'receipt_type', 'user_id', 'thread_id'])
    .execute();
  await db.schema.createIndex('receipts_room_stream').on('receipts').columns(['room_id', 'stream_id']).execute();

  // state: what the user (or their syncing clients) last set; the state served is derived
  // from it and the timestamps (idle → unavailable, gone → offline; see services/presence).
  await db.schema
    .createTable('presence')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status_msg', 'text')
    .addColumn('last_active_ts', 'bigint')
    .addColumn('last_sync_ts', 'bigint')
    .addColumn('stream_id', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('presence_stream').on('presence').column('stream_id').execute();

  await db
    .insertInto('stream_positions')
    .values(['account_data', 'receipts', 'presence'].map((stream) => ({ stream, position: 0 })))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('stream_positions').where('stream', 'in', ['account_data', 'receipts', 'presence']).execute();
  for (const table of ['presence', 'receipts', 'account_data']) await db.schema.dropTable(table).execute();
}
