// A release migrates tenant schemas: lazily when a tenant loads, and in a background pass
// over every outdated tenant after start. Other tenants keep serving meanwhile.
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LATEST_TENANT_MIGRATION } from '../../migrations/index.ts';
import { migrateOutdatedTenants } from '../../src/tenancy/background-migrations.ts';
import { migrateSchema } from '../../src/db/migrate.ts';
import { callTenant } from '../helpers/http.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;
beforeAll(async () => {
  shard = await startTestShard();
});
afterAll(async () => shard?.close());

/** Makes a tenant look as if it was created by a release before any tenant migration ran:
 * an empty schema with no migration table, keys re-inserted by hand afterwards. */
async function rewindToEmptySchema(serverName: string): Promise<{ schema: string; keys: unknown[] }> {
  const row = await shard.database.root.selectFrom('control.tenants').selectAll().where('server_name', '=', serverName).executeTakeFirstOrThrow();
  const keys = (await sql`SELECT * FROM ${sql.id(row.schema_name)}.signing_keys`.execute(shard.database.root)).rows;
  await sql`DROP SCHEMA ${sql.id(row.schema_name)} CASCADE`.execute(shard.database.root);
  await sql`CREATE SCHEMA ${sql.id(row.schema_name)}`.execute(shard.database.root);
  await shard.database.root.updateTable('control.tenants').set({ schema_version: null } as never).where('id', '=', row.id).execute();
  shard.tenants.invalidate(row.id);
  return { schema: row.schema_name, keys };
}

async function tableExists(schema: string, table: string): Promise<boolean> {
  const res = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = ${schema} AND table_name = ${table}`.execute(
    shard.database.root,
  );
  return res.rows[0]?.n === 1;
}

test('the background pass migrates every outdated tenant and records the version', async () => {
  await shard.createTenant({ server_name: 'old1.example' });
  await shard.createTenant({ server_name: 'old2.example' });
  await shard.createTenant({ server_name: 'current.example' });
  const one = await rewindToEmptySchema('old1.example');
  const two = await rewindToEmptySchema('old2.example');
  expect(await tableExists(one.schema, 'signing_keys')).toBe(false);

  const migrated = await migrateOutdatedTenants(shard.database.root, pino({ level: 'silent' }), () => false);
  expect(migrated).toBe(2);
  for (const schema of [one.schema, two.schema]) {
    expect(await tableExists(schema, 'signing_keys')).toBe(true);
    expect(await tableExists(schema, 'kysely_migration')).toBe(true);
  }
  const versions = await shard.database.root.selectFrom('control.tenants').select(['server_name', 'schema_version']).execute();
  expect(versions.every((v) => v.schema_version === LATEST_TENANT_MIGRATION)).toBe(true);
  // Running again finds nothing to do.
  expect(await migrateOutdatedTenants(shard.database.root, pino({ level: 'silent' }), () => false)).toBe(0);
});

test('a tenant whose schema is behind is migrated when it loads', async () => {
  await shard.createTenant({ server_name: 'lazy.example' });
  const { schema, keys } = await rewindToEmptySchema('lazy.example');
  // Without keys the tenant cannot load; restore them after the migration creates the table,
  // exactly as a data-preserving migration would have kept them.
  const first = await callTenant(shard.url, 'lazy.example', '/_matrix/key/v2/server');
  expect(first.status).toBe(500);
  expect(first.body).toMatchObject({ errcode: 'M_UNKNOWN' });
  expect(await tableExists(schema, 'signing_keys')).toBe(true);
  for (const key of keys as Array<Record<string, unknown>>) {
    await sql`INSERT INTO ${sql.id(schema)}.signing_keys (key_id, seed, public_key, created_ts, expired_ts)
      VALUES (${key.key_id}, ${key.seed}, ${key.public_key}, ${key.created_ts}, ${key.expired_ts})`.execute(shard.database.root);
  }
  const second = await callTenant(shard.url, 'lazy.example', '/_matrix/key/v2/server');
  expect(second.status).toBe(200);
  expect(await callTenant(shard.url, 'current.example', '/_matrix/client/versions')).toMatchObject({ status: 200 });
});

test('the runner applies pending migrations once, even when two run at the same time', async () => {
  const created: string[] = [];
  const migrations = {
    '0001_a': { up: async (db: Kysely<unknown>) => { created.push('a'); await db.schema.createTable('a').addColumn('x', 'integer').execute(); } },
    '0002_b': { up: async (db: Kysely<unknown>) => { created.push('b'); await db.schema.createTable('b').addColumn('x', 'integer').execute(); } },
  };
  const root = shard.database.root as Kysely<unknown>;
  const results = await Promise.all([migrateSchema(root, 'runner_test', migrations), migrateSchema(root, 'runner_test', migrations)]);
  expect(results.flat().sort()).toEqual(['0001_a', '0002_b']);
  expect(created).toEqual(['a', 'b']);
  expect(await tableExists('runner_test', 'a')).toBe(true);
  expect(await migrateSchema(root, 'runner_test', migrations)).toEqual([]);
  // A schema migrated by a newer release is refused rather than silently mixed.
  await expect(migrateSchema(root, 'runner_test', { '0001_a': migrations['0001_a'] })).rejects.toThrow(/does not know: 0002_b/);
  // A failing migration leaves nothing behind.
  const failing = { ...migrations, '0003_c': { up: async (db: Kysely<unknown>) => { await db.schema.createTable('c').addColumn('x', 'integer').execute(); throw new Error('boom'); } } };
  await expect(migrateSchema(root, 'runner_test', failing)).rejects.toThrow(/0003_c failed/);
  expect(await tableExists('runner_test', 'c')).toBe(false);
});
