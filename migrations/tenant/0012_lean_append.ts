// The append statement (storage/rooms/append-event.ts) writes less per event:
// - A room's forward extremities live in its row (rooms.forward_extremities), which the
//   append already updates (head_version), instead of a table where every event deleted
//   one row and inserted another: two writes, a dead tuple per event, and a delete whose
//   cached plan scanned the whole table between vacuums.
// - An event's prev and auth event IDs and its state groups before and after are columns
//   of its row instead of rows of three tables (event_edges, event_auth, event_state): a
//   message wrote five more rows and six index entries.
// - A notification's key is (user_id, stream_ordering) (an event's stream position is
//   unique), which is also the order GET /notifications reads: the separate index on it
//   goes, one index write less per recipient.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').addColumn('forward_extremities', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`)).execute();
  // Through the query builder, which puts the tenant's schema on every table (a tenant has
  // as many rows as rooms with events).
  const extremities = await db.selectFrom('forward_extremities').select(['room_id', 'event_id']).orderBy('room_id').orderBy('event_id').execute();
  const byRoom = Map.groupBy(extremities as Array<{ room_id: string; event_id: string }>, (row) => row.room_id);
  for (const [roomId, ids] of byRoom) {
    await db.updateTable('rooms').set({ forward_extremities: ids.map((row) => row.event_id) }).where('room_id', '=', roomId).execute();
  }
  await db.schema.dropTable('forward_extremities').execute();

  await db.schema
    .alterTable('events')
    .addColumn('prev_event_ids', sql`text[]`)
    .addColumn('auth_event_ids', sql`text[]`)
    .addColumn('state_group_before', 'bigint')
    .addColumn('state_group_after', 'bigint')
    .execute();
  // The IDs as the PDU lists them (room versions 1 and 2 pair each with its hashes).
  const ids = (key: string) => sql`ARRAY(SELECT CASE jsonb_typeof(r) WHEN 'array' THEN r ->> 0 ELSE r #>> '{}' END FROM jsonb_array_elements(pdu -> ${key}) AS r)`;
  await db.updateTable('events').set({ prev_event_ids: ids('prev_events'), auth_event_ids: ids('auth_events') }).execute();
  await db
    .updateTable('events')
    .from('event_state')
    .set((eb) => ({ state_group_before: eb.ref('event_state.before_group'), state_group_after: eb.ref('event_state.after_group') }))
    .whereRef('event_state.event_id', '=', 'events.event_id')
    .execute();
  for (const table of ['event_edges', 'event_auth', 'event_state']) await db.schema.dropTable(table).execute();

  await db.schema.alterTable('event_push_actions').dropConstraint('event_push_actions_pk').execute();
  await db.schema.dropIndex('event_push_actions_user').execute();
  await db.schema.alterTable('event_push_actions').addPrimaryKeyConstraint('event_push_actions_pk', ['user_id', 'stream_ordering']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('event_push_actions').dropConstraint('event_push_actions_pk').execute();
  await db.schema.alterTable('event_push_actions').addPrimaryKeyConstraint('event_push_actions_pk', ['user_id', 'event_id']).execute();
  await db.schema.createIndex('event_push_actions_user').on('event_push_actions').columns(['user_id', 'stream_ordering']).execute();

  await db.schema
    .createTable('event_edges')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('prev_event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_edges_pk', ['event_id', 'prev_event_id'])
    .execute();
  await db.schema.createIndex('event_edges_prev').on('event_edges').column('prev_event_id').execute();
  await db.schema
    .createTable('event_auth')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('auth_event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_auth_pk', ['event_id', 'auth_event_id'])
    .execute();
  await db.schema
    .createTable('event_state')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('before_group', 'bigint', (c) => c.notNull())
    .addColumn('after_group', 'bigint', (c) => c.notNull())
    .execute();
  await db
    .insertInto('event_edges')
    .columns(['event_id', 'prev_event_id'])
    .expression((eb) => eb.selectFrom('events').select(['event_id', sql`unnest(prev_event_ids)`.as('prev_event_id')]))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('event_auth')
    .columns(['event_id', 'auth_event_id'])
    .expression((eb) => eb.selectFrom('events').select(['event_id', sql`unnest(auth_event_ids)`.as('auth_event_id')]))
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('event_state')
    .columns(['event_id', 'before_group', 'after_group'])
    .expression((eb) => eb.selectFrom('events').select(['event_id', 'state_group_before', 'state_group_after']).where('state_group_before', 'is not', null))
    .execute();
  await db.schema.alterTable('events').dropColumn('prev_event_ids').dropColumn('auth_event_ids').dropColumn('state_group_before').dropColumn('state_group_after').execute();

  await db.schema
    .createTable('forward_extremities')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('forward_extremities_pk', ['room_id', 'event_id'])
    .execute();
  const rooms = (await db.selectFrom('rooms').select(['room_id', 'forward_extremities']).execute()) as Array<{ room_id: string; forward_extremities: string[] }>;
  const rows = rooms.flatMap((room) => room.forward_extremities.map((eventId) => ({ room_id: room.room_id, event_id: eventId })));
  if (rows.length > 0) await db.insertInto('forward_extremities').values(rows).execute();
  await db.schema.alterTable('rooms').dropColumn('forward_extremities').execute();
}
