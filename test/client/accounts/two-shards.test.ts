// Two shards on one database: UIA sessions, nonces and tokens work across shards; a logout
// on one shard reaches the other's token cache within its TTL.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/config.ts';
import { startShard, type Shard } from '../../../src/shard.ts';
import { callTenant } from '../../helpers/http.ts';
import { TEST_ADMIN_TOKEN, type TestShard } from '../../helpers/shard.ts';
import { CS, NO_RATE_LIMITS, PASSWORD, call, registerUser, startAccountsShard } from './helpers.ts';

const TTL_MS = 3_000;
const HS = 'shared-accounts.example';
let first: TestShard;
let second: Shard;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-accounts-second-'));
const accountSettings = { passwordHash: { logN: 10, r: 8, p: 1 }, tokenCacheTtlMs: TTL_MS };

beforeAll(async () => {
  first = await startAccountsShard({ accountSettings });
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
      accountSettings,
      rateLimits: NO_RATE_LIMITS,
    },
    { log: pino({ level: 'silent' }) },
  );
  await first.createTenant({ server_name: HS, registration: 'open' });
});
afterAll(async () => {
  await second?.stop();
  await first?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const onSecond = (method: string, path: string, options: { body?: unknown; token?: string } = {}) =>
  callTenant(second.url, HS, path, { method, ...options });

test('a UIA session started on one shard completes on the other', async () => {
  const start = await call(first, HS, 'POST', `${CS}/register`, { body: { username: 'roamer', password: PASSWORD } });
  const session = (start.body as { session: string }).session;
  const done = await onSecond('POST', `${CS}/register`, { body: { username: 'roamer', password: PASSWORD, auth: { type: 'm.login.dummy', session } } });
  expect(done.status).toBe(200);
  const token = (done.body as { access_token: string }).access_token;
  expect((await call(first, HS, 'GET', `${CS}/account/whoami`, { token })).status).toBe(200);
});

test('a shared-secret nonce from one shard is redeemed on the other', async () => {
  const secret = ((await first.admin('GET', `/_tessera/admin/v1/tenants/${HS}/registration-shared-secret`)).body as { registration_shared_secret: string })
    .registration_shared_secret;
  const nonce = ((await callTenant(first.url, HS, '/_synapse/admin/v1/register')).body as { nonce: string }).nonce;
  const mac = createHmac('sha1', secret).update(`${nonce}\0provisioned\0pw\0notadmin`).digest('hex');
  const res = await onSecond('POST', '/_synapse/admin/v1/register', { body: { nonce, username: 'provisioned', password: 'pw', mac } });
  expect(res.status).toBe(200);
});

test('a logout on one shard takes effect on the other within the cache TTL', async () => {
  const reg = await registerUser(first, HS, 'wanderer');
  // The second shard caches the token…
  expect((await onSecond('GET', `${CS}/account/whoami`, { token: reg.access_token })).status).toBe(200);
  const loggedOutAt = Date.now();
  expect((await call(first, HS, 'POST', `${CS}/logout`, { token: reg.access_token })).status).toBe(200);
  // …is refused at once by the shard that logged out…
  expect((await call(first, HS, 'GET', `${CS}/account/whoami`, { token: reg.access_token })).status).toBe(401);
  // …and by the other one once its cache entry is older than the TTL.
  let status = 200;
  while (status === 200 && Date.now() - loggedOutAt < TTL_MS + 2_000) {
    status = (await onSecond('GET', `${CS}/account/whoami`, { token: reg.access_token })).status;
    if (status === 200) await new Promise((r) => setTimeout(r, 100));
  }
  expect(status).toBe(401);
  expect(Date.now() - loggedOutAt).toBeLessThanOrEqual(TTL_MS + 2_000);
});
