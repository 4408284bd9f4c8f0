// The lane's pipelined connection (src/db/pipeline.ts): the statements of one event-loop
// turn leave in one write and are answered in order, each on its own; a failing statement
// fails alone; a lost connection is replaced; a lock wait is bounded by lock_timeout.
import { Socket } from 'node:net';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Kysely, PostgresDialect } from 'kysely';
import { LOCK_NOT_AVAILABLE, Pipeline, unpipelined } from '../../src/db/pipeline.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const log = pino({ level: 'silent' });
let database: TestDatabase;
let admin: pg.Client;
let pipeline: Pipeline;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query('CREATE TABLE counters (id integer PRIMARY KEY, value integer NOT NULL)');
  await admin.query('INSERT INTO counters VALUES (1, 0), (2, 0)');
  pipeline = new Pipeline({ connectionString: database.url, application_name: 'pipeline-test', options: '-c lock_timeout=200' }, log);
});
afterAll(async () => {
  await pipeline?.close();
  await admin?.end();
  await database?.drop();
});

test('statements issued in one turn are answered in order, each with its own rows; those behind the first leave in one write', async () => {
  await pipeline.run('SELECT 1', []); // connected
  const writes = { count: 0 };
  const originalWritev = Socket.prototype._writev;
  const originalWrite = Socket.prototype._write;
  Socket.prototype._writev = function (this: Socket, ...args: Parameters<NonNullable<Socket['_writev']>>) {
    writes.count++;
    return originalWritev?.apply(this, args);
  };
  Socket.prototype._write = function (this: Socket, ...args: Parameters<Socket['_write']>) {
    writes.count++;
    return originalWrite.apply(this, args);
  };
  let answers: Array<Array<{ n: number; text?: string }>>;
  try {
    answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        i % 2 === 0 ? pipeline.run<{ n: number }>('SELECT $1::int AS n', [i]) : pipeline.run<{ n: number; text: string }>('SELECT $1::int AS n, $2::text AS text', [i, `#${i}`]),
      ),
    );
  } finally {
    Socket.prototype._writev = originalWritev;
    Socket.prototype._write = originalWrite;
  }
  answers.forEach((rows, i) => expect(rows).toEqual([i % 2 === 0 ? { n: i } : { n: i, text: `#${i}` }]));
  // The first leaves at once (the connection was idle), the other 99 together.
  expect(writes.count).toBe(2);
});

test('a failing statement fails alone: the ones around it, in the same write, succeed', async () => {
  const results = await Promise.allSettled([
    pipeline.run('UPDATE counters SET value = value + 1 WHERE id = $1', [1]),
    pipeline.run('SELECT 1 / $1::int AS x', [0]),
    pipeline.run('UPDATE counters SET value = value + 1 WHERE id = $1', [1]),
    pipeline.run<{ value: number }>('SELECT value FROM counters WHERE id = $1', [1]),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  expect(((results[1] as PromiseRejectedResult).reason as { code?: string }).code).toBe('22012');
  expect((results[3] as PromiseFulfilledResult<Array<{ value: number }>>).value).toEqual([{ value: 2 }]);
  // The updates committed, each on its own (the error between them rolled nothing back).
  expect((await admin.query('SELECT value FROM counters WHERE id = 1')).rows).toEqual([{ value: 2 }]);
});

test('after a lost connection, statements run on a new one', async () => {
  const [first] = await pipeline.run<{ pid: number }>('SELECT pg_backend_pid() AS pid', []);
  const pid = first?.pid;
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  // The statement right after may still meet the dead connection (or find it replaced).
  await Promise.allSettled([pipeline.run('SELECT $1::int AS n', [1])]);
  const [again] = await pipeline.run<{ pid: number }>('SELECT pg_backend_pid() AS pid', []);
  expect(again?.pid).not.toBe(pid);
  expect(await pipeline.run('SELECT $1::int AS n', [7])).toEqual([{ n: 7 }]);
});

test('a statement waiting for a lock gives up after lock_timeout; the statements behind it then run', async () => {
  const holder = new pg.Client({ connectionString: database.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM counters WHERE id = 2 FOR UPDATE');
    const blocked = pipeline.run('UPDATE counters SET value = value + 1 WHERE id = $1', [2]);
    const behind = pipeline.run<{ n: number }>('SELECT $1::int AS n', [3]);
    await expect(blocked).rejects.toMatchObject({ code: LOCK_NOT_AVAILABLE });
    expect(await behind).toEqual([{ n: 3 }]);
    await holder.query('ROLLBACK');
  } finally {
    await holder.end();
  }
});

test('after close, statements are refused', async () => {
  const closing = new Pipeline({ connectionString: database.url }, log);
  expect(await closing.run('SELECT $1::int AS n', [1])).toEqual([{ n: 1 }]);
  await closing.close();
  await expect(closing.run('SELECT 1', [])).rejects.toThrow();
});

test('without lanes, statements run through the pool (unpipelined)', async () => {
  const root = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
  try {
    const runner = unpipelined(root);
    expect(await Promise.all([runner.run('SELECT $1::int AS n', [5]), runner.run('SELECT $1::text AS t', ['x'])])).toEqual([[{ n: 5 }], [{ t: 'x' }]]);
  } finally {
    await root.destroy();
  }
});
