// Accounts, devices and the credentials that authenticate them. Tokens are stored only as
// SHA-256 hashes (the raw token exists only in the response that issued it); passwords as
// self-describing scrypt strings. UIA sessions and shared-secret nonces live here too, so a
// client may continue on any shard.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('localpart', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text')
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('deactivated', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('deactivated_ts', 'bigint')
    .addColumn('admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('user_type', 'text')
    // Profile columns, filled by the profile API.
    .addColumn('displayname', 'text')
    .addColumn('avatar_url', 'text')
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_ts', 'bigint')
    .addColumn('last_seen_ip', 'text')
    .addPrimaryKeyConstraint('devices_pkey', ['user_id', 'device_id'])
    .execute();

  // A refresh token points at the token that replaced it (next_token_id) until that one is
  // used; then it is deleted, and with it (cascade) the access token it was issued with.
  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('expires_ts', 'bigint')
    .addColumn('next_token_id', 'bigint', (c) => c.references('refresh_tokens.id').onDelete('set null'))
    .addForeignKeyConstraint('refresh_tokens_device_fkey', ['user_id', 'device_id'], 'devices', ['user_id', 'device_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('refresh_tokens_device').on('refresh_tokens').columns(['user_id', 'device_id']).execute();
  await db.schema.createIndex('refresh_tokens_next').on('refresh_tokens').column('next_token_id').execute();

  // expires_ts null: the token does not expire (clients that do not support refresh tokens).
  // used: the token has authenticated a request (its predecessor refresh token is then revoked).
  await db.schema
    .createTable('access_tokens')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('expires_ts', 'bigint')
    .addColumn('refresh_token_id', 'bigint', (c) => c.references('refresh_tokens.id').onDelete('cascade'))
    .addColumn('used', 'boolean', (c) => c.notNull().defaultTo(false))
    .addForeignKeyConstraint('access_tokens_device_fkey', ['user_id', 'device_id'], 'devices', ['user_id', 'device_id'], (fk) =>
      fk.onDelete('cascade'),
    )
    .execute();
  await db.schema.createIndex('access_tokens_device').on('access_tokens').columns(['user_id', 'device_id']).execute();
  await db.schema.createIndex('access_tokens_refresh').on('access_tokens').column('refresh_token_id').execute();

  await db.schema
    .createTable('login_tokens')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id').onDelete('cascade'))
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('expires_ts', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_tokens_expiry').on('login_tokens').column('expires_ts').execute();

  // operation: which API call the session authorises; user_id: the user it is bound to
  // (null for registration); completed: stage types in order; data: stage results.
  await db.schema
    .createTable('uia_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('operation', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('completed', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('data', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .addColumn('expires_ts', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('uia_sessions_expiry').on('uia_sessions').column('expires_ts').execute();

  // The spec's registration tokens: pending counts sessions that passed the token stage but
  // have not registered yet; completed counts registrations.
  await db.schema
    .createTable('registration_tokens')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('uses_allowed', 'integer', (c) => c.check(sql`uses_allowed IS NULL OR uses_allowed >= 0`))
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(0).check(sql`pending >= 0`))
    .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0).check(sql`completed >= 0`))
    .addColumn('expiry_time', 'bigint')
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('shared_secret_nonces')
    .addColumn('nonce', 'text', (c) => c.primaryKey())
    .addColumn('expires_ts', 'bigint', (c) => c.notNull())
    .execute();

  // Named per-tenant secrets (registration_shared_secret), generated at first use.
  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_ts', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'server_secrets',
    'shared_secret_nonces',
    'registration_tokens',
    'uia_sessions',
    'login_tokens',
    'access_tokens',
    'refresh_tokens',
    'devices',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
