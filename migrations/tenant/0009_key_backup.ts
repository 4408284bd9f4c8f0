// Server-side key backups (room_keys): each user's backup versions and the encrypted megolm
// session keys stored in them. Versions count up per user and are never reused: a deleted
// version keeps its row (deleted = true, keys removed) so deleting it again succeeds and a
// new backup gets a higher number.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // etag: bumped whenever the stored keys of the version change; key_count: the number of
  // sessions stored, kept up to date by the same writes (so responses need no count(*)).
  await db.schema
    .createTable('key_backup_versions')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('auth_data', 'jsonb', (c) => c.notNull())
    .addColumn('etag', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('key_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('key_backup_versions_pk', ['user_id', 'version'])
    .execute();

  await db.schema
    .createTable('key_backup_sessions')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('room_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('first_message_index', 'bigint', (c) => c.notNull())
    .addColumn('forwarded_count', 'bigint', (c) => c.notNull())
    .addColumn('is_verified', 'boolean', (c) => c.notNull())
    .addColumn('session_data', 'jsonb', (c) => c.notNull())
    .addPrimaryKeyConstraint('key_backup_sessions_pk', ['user_id', 'version', 'room_id', 'session_id'])
    .addForeignKeyConstraint('key_backup_sessions_version_fk', ['user_id', 'version'], 'key_backup_versions', ['user_id', 'version'], (c) => c.onDelete('cascade'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('key_backup_sessions').execute();
  await db.schema.dropTable('key_backup_versions').execute();
}
