// Rooms and events. Events keep their full PDU as JSON plus the columns queries need. State
// is kept three ways: state groups (snapshots as deltas against a parent group, for the
// state at any event), current_state (the resolved state now, one row per key), and
// forward extremities (the DAG's current tips, the prev_events of the next local event).
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rooms')
    .addColumn('room_id', 'text', (c) => c.primaryKey())
    .addColumn('room_version', 'text', (c) => c.notNull())
    .addColumn('creator', 'text', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('published', 'boolean', (c) => c.notNull().defaultTo(false))
    // The state group of the room's current state (the parent of the next state group).
    .addColumn('current_state_group', 'bigint')
    .execute();

  // stream_ordering: this tenant's order of persistence, the position sync tokens count in.
  await db.schema
    .createTable('events')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('stream_ordering', 'bigint', (c) => c.notNull().unique())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state_key', 'text')
    .addColumn('sender', 'text', (c) => c.notNull())
    .addColumn('depth', 'bigint', (c) => c.notNull())
    .addColumn('origin_server_ts', 'bigint', (c) => c.notNull())
    .addColumn('pdu', 'jsonb', (c) => c.notNull())
    .addColumn('outlier', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('rejected_reason', 'text')
    .addColumn('soft_failed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('redacted_by', 'text')
    .addColumn('relates_to_id', 'text')
    .addColumn('rel_type', 'text')
    .addColumn('txn_user_id', 'text')
    .addColumn('txn_device_id', 'text')
    .addColumn('txn_id', 'text')
    .execute();
  await db.schema
    .createTable('room_aliases')
    .addColumn('alias', 'text', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('creator', 'text', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('room_aliases_room').on('room_aliases').column('room_id').execute();

  // Positions of this tenant's streams. Writers take the next position with
  // UPDATE … RETURNING, whose row lock lasts until commit: positions become visible in
  // order, so a sync token never skips an event committed late.
  await db.schema
    .createTable('stream_positions')
    .addColumn('stream', 'text', (c) => c.primaryKey())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('stream_positions').values({ stream: 'events', position: 0 }).execute();
  await db.schema.createIndex('events_room_stream').on('events').columns(['room_id', 'stream_ordering']).execute();
  await db.schema.createIndex('events_relates_to').on('events').columns(['relates_to_id', 'rel_type']).where(sql.ref('relates_to_id'), 'is not', null).execute();
  await db.schema
    .createIndex('events_txn')
    .on('events')
    .columns(['txn_user_id', 'txn_device_id', 'txn_id'])
    .unique()
    .where(sql.ref('txn_id'), 'is not', null)
    .execute();

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
    .createTable('forward_extremities')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('forward_extremities_pk', ['room_id', 'event_id'])
    .execute();

  // A state group is a full state: the entries of its chain of parents, nearer groups
  // overriding farther ones. chain_length bounds the walk; past a limit a full copy is stored.
  await db.schema
    .createTable('state_groups')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('prev_group', 'bigint')
    .addColumn('chain_length', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('state_group_entries')
    .addColumn('state_group', 'bigint', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state_key', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('state_group_entries_pk', ['state_group', 'type', 'state_key'])
    .execute();
  // The state before and after each event (equal for non-state events).
  await db.schema
    .createTable('event_state')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('before_group', 'bigint', (c) => c.notNull())
    .addColumn('after_group', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('current_state')
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('state_key', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('membership', 'text')
    .addColumn('stream_ordering', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('current_state_pk', ['room_id', 'type', 'state_key'])
    .execute();
  await db.schema
    .createIndex('current_state_membership')
    .on('current_state')
    .columns(['state_key', 'membership'])
    .where(sql.ref('type'), '=', 'm.room.member')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['room_aliases', 'stream_positions', 'current_state', 'event_state', 'state_group_entries', 'state_groups', 'forward_extremities', 'event_auth', 'event_edges', 'events', 'rooms']) {
    await db.schema.dropTable(table).execute();
  }
}
