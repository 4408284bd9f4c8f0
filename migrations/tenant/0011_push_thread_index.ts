// Unread counts are read per thread: the rows after max(the room's mark, the thread's mark)
// are one index range per thread (storage/push/unread-after-marks.ts). With the index on
// (user_id, room_id, stream_ordering), a thread mark without a room mark — what clients
// sending threaded receipts produce — meant reading every notification the user ever had
// in the room. That index served only unread counts, so it is replaced.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('event_push_actions_room').execute();
  await db.schema.createIndex('event_push_actions_thread').on('event_push_actions').columns(['user_id', 'room_id', 'thread_id', 'stream_ordering']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('event_push_actions_thread').execute();
  await db.schema.createIndex('event_push_actions_room').on('event_push_actions').columns(['user_id', 'room_id', 'stream_ordering']).execute();
}
