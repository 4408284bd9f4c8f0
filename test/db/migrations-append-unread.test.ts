// Migration 0012_lean_append keeps a tenant's data: forward extremities move from their
// table into the rooms' rows, events' DAG edges and state groups into the events' rows,
// notifications get their new key, and down restores all of it. 0013_unread_indexes gives
// unread counts their indexes.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TENANT_MIGRATIONS } from '../../migrations/index.ts';
import * as leanAppend from '../../migrations/tenant/0012_lean_append.ts';
import * as unreadIndexes from '../../migrations/tenant/0013_unread_indexes.ts';
import { migrateSchema } from '../../src/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let database: TestDatabase;
let root: Kysely<unknown>;
const SCHEMA = 'lean_append';

beforeAll(async () => {
  database = await createTestDatabase();
  root = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }) });
});
afterAll(async () => {
  await root?.destroy();
  await database?.drop();
});

const before0012 = Object.fromEntries(Object.entries(TENANT_MIGRATIONS).filter(([name]) => name < '0012'));
const upTo0012 = Object.fromEntries(Object.entries(TENANT_MIGRATIONS).filter(([name]) => name < '0013'));

async function rows<T>(query: string): Promise<T[]> {
  return (await sql<T>`${sql.raw(query)}`.execute(root)).rows;
}

test('extremities, DAG edges, state groups and notifications survive the migration and its reversal', async () => {
  await migrateSchema(root, SCHEMA, before0012);
  const t = (name: string): string => `${SCHEMA}.${name}`;
  await rows(`INSERT INTO ${t('rooms')} (room_id, room_version, creator, created_ts) VALUES
    ('!a:x', '10', '@u:x', 1), ('!b:x', '10', '@u:x', 1), ('!quiet:x', '10', '@u:x', 1)`);
  await rows(`INSERT INTO ${t('forward_extremities')} (room_id, event_id) VALUES ('!a:x', '$a1'), ('!b:x', '$b2'), ('!b:x', '$b1')`);
  await rows(`INSERT INTO ${t('event_push_actions')} (user_id, event_id, room_id, thread_id, stream_ordering, highlight, actions, notified_ts) VALUES
    ('@v:x', '$a1', '!a:x', 'main', 7, false, '["notify"]', 1), ('@w:x', '$a1', '!a:x', 'main', 7, true, '["notify"]', 1)`);

  // One event of room version 10 (IDs) and one of version 1 (ID and hashes pairs).
  const pdu10 = { prev_events: ['$p1', '$p2'], auth_events: ['$c', '$m'] };
  const pdu1 = { prev_events: [['$q1:x', { sha256: 'h' }]], auth_events: [['$c1:x', { sha256: 'h' }]] };
  await rows(`INSERT INTO ${t('events')} (event_id, stream_ordering, room_id, type, sender, depth, origin_server_ts, pdu) VALUES
    ('$a1', 7, '!a:x', 'm.room.message', '@u:x', 3, 1, '${JSON.stringify(pdu10)}'),
    ('$v1:x', 8, '!b:x', 'm.room.message', '@u:x', 3, 1, '${JSON.stringify(pdu1)}')`);
  await rows(`INSERT INTO ${t('event_edges')} (event_id, prev_event_id) VALUES ('$a1', '$p1'), ('$a1', '$p2'), ('$v1:x', '$q1:x')`);
  await rows(`INSERT INTO ${t('event_auth')} (event_id, auth_event_id) VALUES ('$a1', '$c'), ('$a1', '$m'), ('$v1:x', '$c1:x')`);
  await rows(`INSERT INTO ${t('event_state')} (event_id, before_group, after_group) VALUES ('$a1', 4, 4)`);

  expect(await migrateSchema(root, SCHEMA, upTo0012)).toEqual(['0012_lean_append']);
  expect(await rows(`SELECT event_id, prev_event_ids, auth_event_ids, state_group_before, state_group_after FROM ${t('events')} ORDER BY stream_ordering`)).toEqual([
    { event_id: '$a1', prev_event_ids: ['$p1', '$p2'], auth_event_ids: ['$c', '$m'], state_group_before: '4', state_group_after: '4' },
    { event_id: '$v1:x', prev_event_ids: ['$q1:x'], auth_event_ids: ['$c1:x'], state_group_before: null, state_group_after: null },
  ]);
  for (const table of ['event_edges', 'event_auth', 'event_state']) expect(await rows(`SELECT to_regclass('${t(table)}') AS t`)).toEqual([{ t: null }]);
  expect(await rows(`SELECT room_id, forward_extremities FROM ${t('rooms')} ORDER BY room_id`)).toEqual([
    { room_id: '!a:x', forward_extremities: ['$a1'] },
    { room_id: '!b:x', forward_extremities: ['$b1', '$b2'] },
    { room_id: '!quiet:x', forward_extremities: [] },
  ]);
  expect(await rows(`SELECT to_regclass('${t('forward_extremities')}') AS t`)).toEqual([{ t: null }]);
  // The new key: one notification per user and stream position.
  await expect(
    rows(`INSERT INTO ${t('event_push_actions')} (user_id, event_id, room_id, thread_id, stream_ordering, highlight, actions, notified_ts)
      VALUES ('@v:x', '$other', '!a:x', 'main', 7, false, '[]', 1)`),
  ).rejects.toMatchObject({ code: '23505' });
  expect(await rows(`SELECT count(*)::int AS n FROM ${t('event_push_actions')}`)).toEqual([{ n: 2 }]);

  await root.transaction().execute((trx) => leanAppend.down(trx.withSchema(SCHEMA)));
  expect(await rows(`SELECT room_id, event_id FROM ${t('forward_extremities')} ORDER BY room_id, event_id`)).toEqual([
    { room_id: '!a:x', event_id: '$a1' },
    { room_id: '!b:x', event_id: '$b1' },
    { room_id: '!b:x', event_id: '$b2' },
  ]);
  expect(await rows(`SELECT event_id, prev_event_id FROM ${t('event_edges')} ORDER BY event_id, prev_event_id`)).toEqual([
    { event_id: '$a1', prev_event_id: '$p1' },
    { event_id: '$a1', prev_event_id: '$p2' },
    { event_id: '$v1:x', prev_event_id: '$q1:x' },
  ]);
  expect(await rows(`SELECT count(*)::int AS n FROM ${t('event_auth')}`)).toEqual([{ n: 3 }]);
  expect(await rows(`SELECT event_id, before_group, after_group FROM ${t('event_state')}`)).toEqual([{ event_id: '$a1', before_group: '4', after_group: '4' }]);
  expect(await rows(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${SCHEMA}' AND table_name = 'events' AND column_name LIKE '%_ids'`)).toEqual([]);
  expect(await rows(`SELECT column_name FROM information_schema.columns WHERE table_schema = '${SCHEMA}' AND table_name = 'rooms' AND column_name = 'forward_extremities'`)).toEqual([]);
  expect(await rows(`SELECT indexname FROM pg_indexes WHERE schemaname = '${SCHEMA}' AND indexname = 'event_push_actions_user'`)).toEqual([{ indexname: 'event_push_actions_user' }]);
});

test('unread counts get a partial index over threaded notifications and a thread index carrying highlight', async () => {
  const schema = 'unread_indexes';
  await migrateSchema(root, schema, TENANT_MIGRATIONS);
  const definitions = async () =>
    Object.fromEntries(
      (await rows<{ indexname: string; indexdef: string }>(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = '${schema}' AND tablename = 'event_push_actions'`)).map((r) => [
        r.indexname,
        r.indexdef.replace(/^.* USING btree /, ''),
      ]),
    );
  expect(await definitions()).toEqual({
    event_push_actions_pk: '(user_id, stream_ordering)',
    event_push_actions_highlight: '(user_id, stream_ordering) WHERE (highlight = true)',
    event_push_actions_thread: '(user_id, room_id, thread_id, stream_ordering) INCLUDE (highlight)',
    event_push_actions_threaded: "(user_id, room_id, stream_ordering) WHERE (thread_id <> 'main'::text)",
  });
  await root.transaction().execute((trx) => unreadIndexes.down(trx.withSchema(schema)));
  expect(await definitions()).toMatchObject({ event_push_actions_thread: '(user_id, room_id, thread_id, stream_ordering)' });
  expect(Object.keys(await definitions())).not.toContain('event_push_actions_threaded');
});
