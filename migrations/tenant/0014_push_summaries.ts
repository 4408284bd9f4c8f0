// Unread counts stop growing with the unread: a user who never reads a busy room had every
// /sync count all of its notifications since the read mark. A summary records the count
// of a (user, room, thread) up to a stream position, for the read mark it was counted
// from; a count then reads only the notifications after the summary
// (storage/push/push-summaries.ts).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('push_summaries')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    // The notifications with after_mark < stream_ordering <= up_to number `notifications`,
    // of which `highlights` highlight.
    .addColumn('after_mark', 'bigint', (c) => c.notNull())
    .addColumn('up_to', 'bigint', (c) => c.notNull())
    .addColumn('notifications', 'bigint', (c) => c.notNull())
    .addColumn('highlights', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_summaries_pk', ['user_id', 'room_id', 'thread_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('push_summaries').execute();
}
