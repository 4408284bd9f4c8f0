// End-to-end encryption keys: devices' identity keys, one-time and fallback keys, users'
// cross-signing keys, signatures uploaded separately (/keys/signatures/upload), and the
// device-list change stream that /sync and /keys/changes read (`device_lists` position).
// Keys of a device go with the device (foreign keys, ON DELETE CASCADE).
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  // The device keys object as uploaded (without `unsigned`).
  await db.schema
    .createTable('device_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('key_json', 'jsonb', (c) => c.notNull())
    .addColumn('updated_ts', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('device_keys_pk', ['user_id', 'device_id'])
    .addForeignKeyConstraint('device_keys_device_fkey', ['user_id', 'device_id'], 'devices', ['user_id', 'device_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  // Unclaimed one-time keys; a claim deletes the row. `id` orders keys by upload.
  await db.schema
    .createTable('one_time_keys')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('key_json', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('one_time_keys_key', ['user_id', 'device_id', 'algorithm', 'key_id'])
    .addForeignKeyConstraint('one_time_keys_device_fkey', ['user_id', 'device_id'], 'devices', ['user_id', 'device_id'], (fk) => fk.onDelete('cascade'))
    .execute();
  // Claims take the oldest key of a (user, device, algorithm).
  await db.schema.createIndex('one_time_keys_claim').on('one_time_keys').columns(['user_id', 'device_id', 'algorithm', 'id']).execute();

  // One fallback key per device and algorithm; claims mark it used instead of deleting it.
  await db.schema
    .createTable('fallback_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('algorithm', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('key_json', 'jsonb', (c) => c.notNull())
    .addColumn('used', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('fallback_keys_pk', ['user_id', 'device_id', 'algorithm'])
    .addForeignKeyConstraint('fallback_keys_device_fkey', ['user_id', 'device_id'], 'devices', ['user_id', 'device_id'], (fk) => fk.onDelete('cascade'))
    .execute();

  // A user's current cross-signing keys: usage master, self_signing or user_signing.
  // key_id: `ed25519:<public key>`; stream_id: the device_lists position of the upload.
  await db.schema
    .createTable('cross_signing_keys')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('usage', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('key_json', 'jsonb', (c) => c.notNull())
    .addColumn('stream_id', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('cross_signing_keys_pk', ['user_id', 'usage'])
    .execute();

  // Signatures uploaded through /keys/signatures/upload, merged into /keys/query answers.
  // target_key_id: a device ID, or a master key's public key (unpadded base64).
  await db.schema
    .createTable('e2e_signatures')
    .addColumn('target_user_id', 'text', (c) => c.notNull())
    .addColumn('target_key_id', 'text', (c) => c.notNull())
    .addColumn('signer_user_id', 'text', (c) => c.notNull())
    .addColumn('signer_key_id', 'text', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('e2e_signatures_pk', ['target_user_id', 'target_key_id', 'signer_user_id', 'signer_key_id'])
    .execute();

  // One row per change of a user's devices or keys. only_for: the one user who may learn of
  // it (their own signature on another user's master key); null: everyone sharing a room.
  await db.schema
    .createTable('device_list_changes')
    .addColumn('stream_id', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('only_for', 'text')
    .execute();
  await db.schema.createIndex('device_list_changes_stream').on('device_list_changes').column('stream_id').execute();
  await db.schema.createIndex('device_list_changes_user').on('device_list_changes').columns(['user_id', 'stream_id']).execute();

  await db.insertInto('stream_positions').values({ stream: 'device_lists', position: 0 }).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('stream_positions').where('stream', '=', 'device_lists').execute();
  for (const table of ['device_list_changes', 'e2e_signatures', 'cross_signing_keys', 'fallback_keys', 'one_time_keys', 'device_keys']) {
    await db.schema.dropTable(table).execute();
  }
}
