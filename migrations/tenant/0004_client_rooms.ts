// What the client-server room API and /sync need beyond the room core: the state event each
// state event replaced (for unsigned.replaces_state / prev_content), an index to find a
// user's membership events in a room, forgotten rooms, and uploaded sync filters.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').addColumn('replaces_state', 'text').execute();
  // "Did the user join this room after event X?" (history visibility `shared`).
  await db.schema
    .createIndex('events_room_member')
    .on('events')
    .columns(['room_id', 'state_key', 'stream_ordering'])
    .where(sql.ref('type'), '=', 'm.room.member')
    .execute();

  // A user forgot a room while `membership_event_id` was their membership: a later
  // membership event (re-join, invite, knock) un-forgets it without touching this row.
  await db.schema
    .createTable('forgotten_rooms')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('membership_event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('forgotten_rooms_pk', ['user_id', 'room_id'])
    .execute();

  // POST /user/{userId}/filter. IDs are numbers, so never start with "{".
  await db.schema
    .createTable('user_filters')
    .addColumn('filter_id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('filter', 'jsonb', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_filters_user').on('user_filters').columns(['user_id', 'filter_id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_filters').execute();
  await db.schema.dropTable('forgotten_rooms').execute();
  await db.schema.dropIndex('events_room_member').execute();
  await db.schema.alterTable('events').dropColumn('replaces_state').execute();
}
