// Tenants load lazily on first request, unload after the idle time, and at most
// MAX_LOADED_TENANTS stay loaded (least recently used unloads first).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pino } from 'pino';
import { TenantManager } from '../../src/tenancy/tenant-manager.ts';
import { callTenant } from '../helpers/http.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;
const ids: Record<string, string> = {};

beforeAll(async () => {
  shard = await startTestShard({ maxLoadedTenants: 3, tenantIdleMs: 3_600_000 });
  for (const name of ['l1', 'l2', 'l3', 'l4', 'l5']) {
    await shard.createTenant({ server_name: `${name}.life.example` });
    const row = await shard.database.root
      .selectFrom('control.tenants')
      .select('id')
      .where('server_name', '=', `${name}.life.example`)
      .executeTakeFirstOrThrow();
    ids[name] = row.id;
  }
});
afterAll(async () => shard?.close());

test('tenants load on first request, and the number loaded is bounded (LRU)', async () => {
  expect(shard.tenants.loadedCount).toBe(0);
  await callTenant(shard.url, 'l1.life.example', '/_matrix/client/versions');
  expect(shard.tenants.loaded(ids.l1 as string)).toBeDefined();
  expect(shard.tenants.loadedCount).toBe(1);
  await callTenant(shard.url, 'l2.life.example', '/_matrix/client/versions');
  await callTenant(shard.url, 'l3.life.example', '/_matrix/client/versions');
  // Touch l1 so l2 is the least recently used.
  await callTenant(shard.url, 'l1.life.example', '/_matrix/client/versions');
  await callTenant(shard.url, 'l4.life.example', '/_matrix/client/versions');
  expect(shard.tenants.loadedCount).toBe(3);
  expect(shard.tenants.loaded(ids.l2 as string)).toBeUndefined();
  expect(shard.tenants.loaded(ids.l1 as string)).toBeDefined();
  expect(shard.tenants.loaded(ids.l4 as string)).toBeDefined();
  // An unloaded tenant is simply loaded again, with the same keys.
  const again = await callTenant(shard.url, 'l2.life.example', '/_matrix/key/v2/server');
  expect(again.status).toBe(200);
  expect(shard.tenants.loaded(ids.l2 as string)).toBeDefined();
});

test('idle tenants unload; in-flight ones stay', async () => {
  let now = 1_000_000;
  const manager = new TenantManager({
    root: shard.database.root,
    log: pino({ level: 'silent' }),
    idleMs: 60_000,
    maxLoaded: 100,
    now: () => now,
  });
  const a = await manager.acquire('l1.life.example');
  a.release();
  const b = await manager.acquire('l5.life.example');
  expect(manager.loadedCount).toBe(2);
  now += 30_000;
  expect(manager.sweepIdle()).toBe(0);
  now += 31_000;
  // l1 idle for 61 s: unloaded; l5 still has a request in flight.
  expect(manager.sweepIdle()).toBe(1);
  expect(manager.loaded(ids.l1 as string)).toBeUndefined();
  expect(manager.loaded(ids.l5 as string)).toBeDefined();
  b.release();
  b.release(); // idempotent
  now += 61_000;
  expect(manager.sweepIdle()).toBe(1);
  expect(manager.loadedCount).toBe(0);
});

test('concurrent first requests load a tenant once', async () => {
  const manager = new TenantManager({ root: shard.database.root, log: pino({ level: 'silent' }), idleMs: 60_000, maxLoaded: 100 });
  const acquired = await Promise.all(Array.from({ length: 20 }, () => manager.acquire('l3.life.example')));
  const contexts = new Set(acquired.map((a) => a.context));
  expect(contexts.size).toBe(1);
  for (const a of acquired) a.release();
});

test('a context carries the tenant explicitly: its own schema-bound db, keys and logger', async () => {
  const manager = new TenantManager({ root: shard.database.root, log: pino({ level: 'silent' }), idleMs: 60_000, maxLoaded: 100 });
  const one = await manager.acquire('l1.life.example');
  const two = await manager.acquire('l2.life.example');
  expect(one.context.schema).not.toBe(two.context.schema);
  const keysOne = await one.context.db.selectFrom('signing_keys').select('key_id').execute();
  const keysTwo = await two.context.db.selectFrom('signing_keys').select('key_id').execute();
  expect(keysOne.map((k) => k.key_id)).toEqual([one.context.signingKeys.current.keyId]);
  expect(keysTwo.map((k) => k.key_id)).toEqual([two.context.signingKeys.current.keyId]);
  expect(keysOne[0]?.key_id).not.toBe(keysTwo[0]?.key_id);
  one.release();
  two.release();
});
