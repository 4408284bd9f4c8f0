// Sync is batched by room: the number of database queries of an initial or incremental sync
// does not grow with the number of rooms. Counted on a real database through a Kysely
// instance that logs every query.
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TenantDatabase } from '../../../src/db/schema-types.ts';
import { createLocalEvent } from '../../../src/services/rooms/create-local-event.ts';
import { createRoom } from '../../../src/services/rooms/create-room.ts';
import { buildSync } from '../../../src/services/sync/build-sync.ts';
import { parseSyncToken } from '../../../src/services/sync/sync-token.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { startTestShard, type TestShard } from '../../helpers/shard.ts';

let shard: TestShard;
let tenant: TenantContext;
let counting: TenantContext;
let queries = 0;

beforeAll(async () => {
  shard = await startTestShard();
  await shard.createTenant({ server_name: 'cost.example' });
  tenant = (await shard.tenants.acquire('cost.example')).context;
  const db = new Kysely<TenantDatabase>({
    dialect: new PostgresDialect({ pool: shard.database.pool }),
    log: (event) => {
      if (event.level === 'query') queries++;
    },
  }).withSchema(tenant.schema);
  counting = { ...tenant, db };
});
afterAll(async () => shard?.close());

async function roomsFor(userId: string, count: number): Promise<string[]> {
  const rooms: string[] = [];
  for (let i = 0; i < count; i++) {
    const { room_id } = await createRoom(tenant, userId, { name: `room ${i}` });
    await createLocalEvent(tenant, room_id, { type: 'm.room.message', sender: userId, content: { body: `hello ${i}` } });
    rooms.push(room_id);
  }
  return rooms;
}

async function countQueries(run: () => Promise<unknown>): Promise<number> {
  queries = 0;
  await run();
  return queries;
}

describe('sync cost', () => {
  test('initial and incremental syncs take as many queries for 12 rooms as for 2', async () => {
    const few = '@few:cost.example';
    const many = '@many:cost.example';
    const fewRooms = await roomsFor(few, 2);
    const manyRooms = await roomsFor(many, 12);
    const viewer = (userId: string) => ({ userId, deviceId: 'DEV' });
    // Warm the per-tenant room version cache like a running server would be.
    await buildSync(tenant, viewer(few), { fullState: false });
    await buildSync(tenant, viewer(many), { fullState: false });

    const initialFew = await countQueries(() => buildSync(counting, viewer(few), { fullState: false }));
    const initialMany = await countQueries(() => buildSync(counting, viewer(many), { fullState: false }));
    expect(initialMany).toBe(initialFew);

    const sinceFew = (await buildSync(tenant, viewer(few), { fullState: false })).response.next_batch;
    const sinceMany = (await buildSync(tenant, viewer(many), { fullState: false })).response.next_batch;
    for (const room of fewRooms) await createLocalEvent(tenant, room, { type: 'm.room.message', sender: few, content: { body: 'more' } });
    for (const room of manyRooms) await createLocalEvent(tenant, room, { type: 'm.room.message', sender: many, content: { body: 'more' } });
    let result: Awaited<ReturnType<typeof buildSync>> | undefined;
    const incrementalFew = await countQueries(async () => (result = await buildSync(counting, viewer(few), { fullState: false, since: parseSyncToken(sinceFew) })));
    expect(Object.keys(result?.response.rooms.join ?? {})).toHaveLength(2);
    const incrementalMany = await countQueries(async () => (result = await buildSync(counting, viewer(many), { fullState: false, since: parseSyncToken(sinceMany) })));
    expect(Object.keys(result?.response.rooms.join ?? {})).toHaveLength(12);
    expect(incrementalMany).toBe(incrementalFew);
    // And it stays small (rooms, plus the user-data and unread-count parts).
    expect(initialMany).toBeLessThanOrEqual(25);
    expect(incrementalMany).toBeLessThanOrEqual(25);
  });
});
