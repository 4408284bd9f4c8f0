// Runs versioned migrations for the control schema and for one tenant schema. Each schema
// holds its own migration table; Kysely runs a schema's pending migrations in one
// transaction under an advisory lock, so concurrent shards never migrate the same schema twice.
import { sql, type Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import { CONTROL_MIGRATIONS, TENANT_MIGRATIONS } from '../../migrations/index.ts';

function provider(migrations: Record<string, Migration>) {
  return { getMigrations: async () => migrations };
}

function check(result: MigrationResultSet, schema: string): void {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed in schema ${schema}`, { cause: result.error });
  }
}

async function migrateSchema(root: Kysely<unknown>, schema: string, migrations: Record<string, Migration>): Promise<void> {
  await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(schema)}`.execute(root);
  const migrator = new Migrator({
    db: root.withSchema(schema),
    provider: provider(migrations),
    migrationTableSchema: schema,
  });
  check(await migrator.migrateToLatest(), schema);
}

export function migrateControl(root: Kysely<unknown>): Promise<void> {
  return migrateSchema(root, 'control', CONTROL_MIGRATIONS);
}

export function migrateTenantSchema(root: Kysely<unknown>, schema: string): Promise<void> {
  return migrateSchema(root, schema, TENANT_MIGRATIONS);
}
