// The database is unreachable at start (clear error, non-zero exit) or goes away while the
// shard runs (503 with a Matrix error body, and service resumes by itself when it is back).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { freePort } from '../../src/db/free-port.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { startShard } from '../../src/shard.ts';
import { runMain } from '../helpers/child-shard.ts';
import { callTenant, callUrl } from '../helpers/http.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/shard.ts';

const dirs: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('an unreachable database at start is a clear error and a non-zero exit', async () => {
  const port = await freePort();
  const run = runMain({
    DATABASE_URL: `postgres://tessera:secret@127.0.0.1:${port}/tessera`,
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    DATA_DIR: tempDir('tessera-nodb-'),
    PORT: '0',
    ADMIN_PORT: '0',
  });
  const code = await run.exited;
  expect(code).not.toBe(0);
  expect(run.output()).toContain(`Cannot reach PostgreSQL at 127.0.0.1:${port}/tessera`);
  expect(run.output()).not.toContain('secret');
}, 60_000);

test('invalid configuration is refused before anything starts', async () => {
  for (const [env, message] of [
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ ADMIN_PORT: '70000' }, 'ADMIN_PORT must be between'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL must use postgres://'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN must be at least 16 characters'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of'],
  ] as const) {
    const run = runMain({ DATA_DIR: tempDir('tessera-badcfg-'), ...env });
    expect(await run.exited, JSON.stringify(env)).toBe(2);
    expect(run.output()).toContain(message);
  }
}, 60_000);

test('losing the database while running gives 503, and service resumes when it is back', async () => {
  const pgDir = tempDir('tessera-outage-pg-');
  const pgPort = await freePort();
  let postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, fsync: false, log: () => {} });
  const shard = await startShard(
    {
      ...loadConfig({}),
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      adminToken: TEST_ADMIN_TOKEN,
      dataDir: tempDir('tessera-outage-data-'),
      databaseUrl: postgres.url,
      shardName: 'outage',
    },
    { log: pino({ level: 'silent' }) },
  );
  try {
    for (const server_name of ['loaded.example', 'cold.example']) {
      const res = await callUrl(`${shard.adminUrl}/_tessera/admin/v1/tenants`, { method: 'POST', token: TEST_ADMIN_TOKEN, body: { server_name } });
      expect(res.status).toBe(201);
    }
    shard.tenants.invalidateAll();
    expect((await callTenant(shard.url, 'loaded.example', '/_matrix/key/v2/server')).status).toBe(200);

    await postgres.stop();

    const ready = await callUrl(`${shard.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ errcode: 'M_UNKNOWN' });
    expect((await callUrl(`${shard.url}/health`)).status).toBe(200);
    const cold = await callTenant(shard.url, 'cold.example', '/_matrix/client/versions');
    expect(cold.status).toBe(503);
    expect(cold.body).toMatchObject({ errcode: 'M_UNKNOWN', error: expect.stringContaining('database') });
    expect(cold.headers['retry-after']).toBe('5');
    const admin = await callUrl(`${shard.adminUrl}/_tessera/admin/v1/tenants`, { token: TEST_ADMIN_TOKEN });
    expect(admin.status).toBe(503);
    expect(admin.body).toMatchObject({ errcode: 'M_UNKNOWN' });
    // What needs no database keeps working for a loaded tenant.
    expect((await callTenant(shard.url, 'loaded.example', '/_matrix/key/v2/server')).status).toBe(200);

    postgres = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort, fsync: false, log: () => {} });

    const deadline = Date.now() + 20_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await callTenant(shard.url, 'cold.example', '/_matrix/client/versions')).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(200);
    expect((await callUrl(`${shard.url}/ready`)).status).toBe(200);
    const created = await callUrl(`${shard.adminUrl}/_tessera/admin/v1/tenants`, {
      method: 'POST',
      token: TEST_ADMIN_TOKEN,
      body: { server_name: 'after.example' },
    });
    expect(created.status).toBe(201);
    expect((await callTenant(shard.url, 'after.example', '/_matrix/key/v2/server')).status).toBe(200);
  } finally {
    await shard.stop();
    await postgres.stop();
  }
}, 120_000);
