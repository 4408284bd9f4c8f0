// Two shards on one database: a change made through one shard's admin API reaches the other
// through LISTEN/NOTIFY, without a restart.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.ts';
import { startShard, type Shard } from '../../src/shard.ts';
import { callTenant } from '../helpers/http.ts';
import { TEST_ADMIN_TOKEN, startTestShard, type TestShard } from '../helpers/shard.ts';

let first: TestShard;
let second: Shard;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-second-'));

beforeAll(async () => {
  first = await startTestShard();
  second = await startShard(
    {
      ...loadConfig({}),
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      adminToken: TEST_ADMIN_TOKEN,
      dataDir,
      databaseUrl: first.testDatabase.url,
      shardName: 'second',
    },
    { log: pino({ level: 'silent' }) },
  );
});
afterAll(async () => {
  await second?.stop();
  await first?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

test('suspension, key rotation and deletion on one shard take effect on the other', async () => {
  await first.createTenant({ server_name: 'shared.example' });
  const keysOnSecond = await callTenant(second.url, 'shared.example', '/_matrix/key/v2/server');
  expect(keysOnSecond.status).toBe(200);

  await first.admin('POST', '/_tessera/admin/v1/tenants/shared.example/suspend', { reason: 'moving' });
  expect(await eventually(async () => (await callTenant(second.url, 'shared.example', '/_matrix/client/versions')).status === 403)).toBe(true);

  await first.admin('POST', '/_tessera/admin/v1/tenants/shared.example/resume');
  expect(await eventually(async () => (await callTenant(second.url, 'shared.example', '/_matrix/client/versions')).status === 200)).toBe(true);

  await first.admin('POST', '/_tessera/admin/v1/tenants/shared.example/keys/rotate');
  const oldKeyIds = Object.keys((keysOnSecond.body as { verify_keys: object }).verify_keys);
  expect(
    await eventually(async () => {
      const res = await callTenant(second.url, 'shared.example', '/_matrix/key/v2/server');
      return Object.keys((res.body as { old_verify_keys: object }).old_verify_keys).includes(oldKeyIds[0] as string);
    }),
  ).toBe(true);

  await first.admin('DELETE', '/_tessera/admin/v1/tenants/shared.example');
  expect(await eventually(async () => (await callTenant(second.url, 'shared.example', '/_matrix/client/versions')).status === 404)).toBe(true);
});
