// Control schema: the tenant registry, the hostnames each tenant answers to, the shards of
// the fleet and the database clusters that hold tenant schemas.
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time; they must not follow later table types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('db_clusters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.insertInto('db_clusters').values({ name: 'default', url: null }).execute();

  await db.schema
    .createTable('shards')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('tenants')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('server_name', 'text', (c) => c.notNull().unique())
    .addColumn('schema_name', 'text', (c) => c.notNull().unique())
    .addColumn('db_cluster', 'text', (c) => c.notNull().defaultTo('default').references('db_clusters.name'))
    .addColumn('shard', 'text')
    .addColumn('state', 'text', (c) =>
      c.notNull().check(sql`state in ('provisioning', 'active', 'suspended')`),
    )
    .addColumn('suspended_reason', 'text')
    .addColumn('suspended_at', 'timestamptz')
    .addColumn('registration', 'text', (c) =>
      c.notNull().defaultTo('closed').check(sql`registration in ('open', 'token', 'closed')`),
    )
    .addColumn('config', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('schema_version', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('tenant_hosts')
    .addColumn('host', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'bigint', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('is_server_name', 'boolean', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tenant_hosts_tenant').on('tenant_hosts').column('tenant_id').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_hosts').execute();
  await db.schema.dropTable('tenants').execute();
  await db.schema.dropTable('shards').execute();
  await db.schema.dropTable('db_clusters').execute();
}
