// Send-to-device messaging: each device's inbox of pending messages, and the transaction IDs
// that make PUT /sendToDevice idempotent. A message stays in the inbox until the device
// acknowledges it by syncing with a token past its position (at-least-once delivery).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // position: the tenant's to_device stream position of the request that sent it; a device
  // receives at most one message per request, so (user, device, position) orders its inbox.
  // Deleting a device drops its inbox (foreign key).
  await db.schema
    .createTable('to_device_inbox')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('content', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('to_device_inbox_pk', ['user_id', 'device_id', 'position'])
    .addForeignKeyConstraint('to_device_inbox_device_fkey', ['user_id', 'device_id'], 'devices', ['user_id', 'device_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  // One row per request a device sent (the spec scopes transaction IDs to a device and an
  // endpoint path, which includes the event type). Kept for a day, pruned by created_ts; no
  // foreign key, so a request racing its device's deletion cannot fail on it.
  await db.schema
    .createTable('to_device_txns')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('txn_id', 'text', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('to_device_txns_pk', ['user_id', 'device_id', 'event_type', 'txn_id'])
    .execute();
  await db.schema.createIndex('to_device_txns_created').on('to_device_txns').column('created_ts').execute();

  await db.insertInto('stream_positions').values({ stream: 'to_device', position: 0 }).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('stream_positions').where('stream', '=', 'to_device').execute();
  await db.schema.dropTable('to_device_txns').execute();
  await db.schema.dropTable('to_device_inbox').execute();
}
