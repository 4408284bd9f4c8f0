// `npm start` on the embedded PostgreSQL: data and keys survive a restart on the same
// DATA_DIR; SIGTERM shuts down cleanly; the generated admin token is private and reused.
import { mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { callTenant, callUrl } from '../helpers/http.ts';
import { startChildShard } from '../helpers/child-shard.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'tessera-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('tenants and keys survive a restart; SIGTERM exits 0', async () => {
  const first = await startChildShard({ DATA_DIR: dataDir });
  const tokenFile = join(dataDir, 'admin-token');
  expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
  const token = readFileSync(tokenFile, 'utf8').trim();
  expect(first.output()).toContain(tokenFile);

  const created = await callUrl(`${first.adminUrl}/_tessera/admin/v1/tenants`, {
    method: 'POST',
    token,
    body: { server_name: 'persist.example', client_hostnames: ['chat.persist.example'], registration: 'open' },
  });
  expect(created.status).toBe(201);
  const keysBefore = await callTenant(first.url, 'persist.example', '/_matrix/key/v2/server');
  expect(keysBefore.status).toBe(200);
  expect(await first.stop()).toBe(0);
  expect(first.output()).toContain('shard stopped');

  const second = await startChildShard({ DATA_DIR: dataDir });
  try {
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    const shown = await callUrl(`${second.adminUrl}/_tessera/admin/v1/tenants/persist.example`, { token });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ server_name: 'persist.example', client_hostnames: ['chat.persist.example'], registration: 'open' });
    const keysAfter = await callTenant(second.url, 'chat.persist.example', '/_matrix/key/v2/server');
    expect((keysAfter.body as { verify_keys: unknown }).verify_keys).toEqual((keysBefore.body as { verify_keys: unknown }).verify_keys);
  } finally {
    expect(await second.stop()).toBe(0);
  }
}, 120_000);

test('ADMIN_TOKEN from the environment is used as is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-token-'));
  const shard = await startChildShard({ DATA_DIR: dir, ADMIN_TOKEN: 'an-operator-chosen-token-123' });
  try {
    const ok = await callUrl(`${shard.adminUrl}/_tessera/admin/v1/tenants`, { token: 'an-operator-chosen-token-123' });
    expect(ok.status).toBe(200);
    const health = await callUrl(`${shard.url}/health`);
    expect(health.status).toBe(200);
  } finally {
    expect(await shard.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
