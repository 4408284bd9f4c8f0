// Push notifications: users' push rules, the notifications their rules produced (push
// actions, from which unread counts and GET /notifications are computed), read marks the
// server sets itself (sending an event marks the room read up to it) and pushers.
//
// Read receipts live in `receipts` (0005_user_data); counts combine them with
// push_read_marks. Thread IDs follow the receipts' convention: 'main' is the main timeline,
// a thread root's event ID a thread, '' (read marks only) the whole room.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // A user's own rules, ordered within each kind by priority (0 is the most important).
  // conditions: override/underride rules; pattern: content rules.
  await db.schema
    .createTable('push_rules')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'jsonb')
    .addColumn('pattern', 'text')
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    .addPrimaryKeyConstraint('push_rules_pk', ['user_id', 'kind', 'rule_id'])
    .execute();

  // A user's choices about server-default rules: null keeps the default.
  await db.schema
    .createTable('push_rule_defaults')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean')
    .addColumn('actions', 'jsonb')
    .addPrimaryKeyConstraint('push_rule_defaults_pk', ['user_id', 'kind', 'rule_id'])
    .execute();

  // Bumped by every change of a user's rules (its row lock serialises the user's changes);
  // compiled rulesets cached on any shard are checked against it. No row: version 0.
  await db.schema
    .createTable('push_rule_versions')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();

  // One row per event that notified a user (actions contained "notify").
  await db.schema
    .createTable('event_push_actions')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('stream_ordering', 'bigint', (c) => c.notNull())
    .addColumn('highlight', 'boolean', (c) => c.notNull())
    .addColumn('actions', 'jsonb', (c) => c.notNull())
    .addColumn('notified_ts', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_push_actions_pk', ['user_id', 'event_id'])
    .execute();
  await db.schema.createIndex('event_push_actions_room').on('event_push_actions').columns(['user_id', 'room_id', 'stream_ordering']).execute();
  await db.schema.createIndex('event_push_actions_user').on('event_push_actions').columns(['user_id', 'stream_ordering']).execute();
  await db.schema
    .createIndex('event_push_actions_highlight')
    .on('event_push_actions')
    .columns(['user_id', 'stream_ordering'])
    .where(sql.ref('highlight'), '=', true)
    .execute();

  // Read-up-to marks the server sets (the sender of an event has read up to it; markRead).
  await db.schema
    .createTable('push_read_marks')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('thread_id', 'text', (c) => c.notNull())
    .addColumn('stream_ordering', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('push_read_marks_pk', ['user_id', 'room_id', 'thread_id'])
    .execute();

  // Pushers: unique per (user, app_id, pushkey); (app_id, pushkey) is looked up to remove
  // other users' pushers when one is set without `append`.
  await db.schema
    .createTable('pushers')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull())
    .addColumn('pushkey', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('app_display_name', 'text', (c) => c.notNull())
    .addColumn('device_display_name', 'text', (c) => c.notNull())
    .addColumn('profile_tag', 'text')
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pushers_pk', ['user_id', 'app_id', 'pushkey'])
    .execute();
  await db.schema.createIndex('pushers_app_pushkey').on('pushers').columns(['app_id', 'pushkey']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['pushers', 'push_read_marks', 'event_push_actions', 'push_rule_versions', 'push_rule_defaults', 'push_rules']) {
    await db.schema.dropTable(table).execute();
  }
}
