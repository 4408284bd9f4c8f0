// Parameterised queries run as named prepared statements (src/db/preparing-client.ts):
// reused per connection, bounded in number, and re-prepared when a migration changed the
// columns a cached plan returns.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MAX_PREPARED_PER_CONNECTION, PreparingClient } from '../../src/db/preparing-client.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let client: PreparingClient;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new PreparingClient({ connectionString: database.url });
  await client.connect();
  await client.query('CREATE TABLE things (id integer PRIMARY KEY, name text)');
  await client.query("INSERT INTO things VALUES (1, 'one'), (2, 'two')");
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

async function preparedCount(): Promise<number> {
  const result = (await client.query('SELECT count(*)::int AS n FROM pg_prepared_statements')) as { rows: Array<{ n: number }> };
  return result.rows[0]?.n ?? -1;
}

test('a parameterised query is prepared once and reused; one without parameters is not prepared', async () => {
  const before = await preparedCount();
  for (let i = 0; i < 5; i++) {
    const result = (await client.query('SELECT name FROM things WHERE id = $1', [1])) as { rows: Array<{ name: string }> };
    expect(result.rows).toEqual([{ name: 'one' }]);
  }
  expect(await preparedCount()).toBe(before + 1);
  await client.query('SELECT 1');
  expect(await preparedCount()).toBe(before + 1);
});

test('the number of prepared statements per connection stays bounded', async () => {
  for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + 40; i++) {
    const result = (await client.query(`SELECT $1::int + ${i} AS n`, [1])) as { rows: Array<{ n: number }> };
    expect(result.rows[0]?.n).toBe(1 + i);
  }
  expect(await preparedCount()).toBeLessThanOrEqual(MAX_PREPARED_PER_CONNECTION);
  // An evicted statement is simply prepared again.
  const again = (await client.query('SELECT $1::int + 0 AS n', [5])) as { rows: Array<{ n: number }> };
  expect(again.rows[0]?.n).toBe(5);
});

test('a connection may keep more (or fewer) statements than the default', async () => {
  const small = new PreparingClient({ connectionString: database.url, maxPrepared: 3 });
  await small.connect();
  try {
    for (let i = 0; i < 10; i++) await small.query(`SELECT $1::int + ${i} AS n`, [1]);
    const result = (await small.query('SELECT count(*)::int AS n FROM pg_prepared_statements')) as { rows: Array<{ n: number }> };
    expect(result.rows[0]?.n).toBe(3);
  } finally {
    await small.end();
  }
});

test('a statement whose result columns a migration changed is prepared again', async () => {
  const text = 'SELECT * FROM things WHERE id = $1';
  expect(((await client.query(text, [2])) as { rows: unknown[] }).rows).toEqual([{ id: 2, name: 'two' }]);
  await client.query('ALTER TABLE things ADD COLUMN colour text');
  expect(((await client.query(text, [2])) as { rows: unknown[] }).rows).toEqual([{ id: 2, name: 'two', colour: null }]);
});

test('errors other than a stale plan reach the caller', async () => {
  await expect(client.query('SELECT * FROM no_such_table WHERE id = $1', [1])).rejects.toThrow(/no_such_table/);
});
