// The optional HTTPS listener serves the same tenants; log lines of a request carry its tenant.
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { startShard, type Shard } from '../../src/shard.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { callUrl } from '../helpers/http.ts';
import { TEST_ADMIN_TOKEN } from '../helpers/shard.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/tls/${name}`, import.meta.url));
const lines: Array<Record<string, unknown>> = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let shard: Shard;
let database: TestDatabase;
const dataDir = mkdtempSync(join(tmpdir(), 'tessera-tls-'));

beforeAll(async () => {
  database = await createTestDatabase();
  shard = await startShard(
    {
      ...loadConfig({}),
      host: '127.0.0.1',
      port: 0,
      tlsPort: 0,
      tlsCertPath: fixture('cert.pem'),
      tlsKeyPath: fixture('key.pem'),
      adminPort: 0,
      adminToken: TEST_ADMIN_TOKEN,
      dataDir,
      databaseUrl: database.url,
      logLevel: 'debug',
      shardName: 'tls',
    },
    { log: pino({ level: 'debug' }, sink) },
  );
  const res = await callUrl(`${shard.adminUrl}/_tessera/admin/v1/tenants`, { method: 'POST', token: TEST_ADMIN_TOKEN, body: { server_name: 'tls.example' } });
  expect(res.status).toBe(201);
});
afterAll(async () => {
  await shard?.stop();
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the HTTPS listener serves tenants by Host', async () => {
  expect(shard.tlsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const agent = new Agent({ connect: { ca: await import('node:fs').then((fs) => fs.readFileSync(fixture('cert.pem'))), servername: 'tls.example' } });
  const response = await request(`${shard.tlsUrl}/_matrix/key/v2/server`, { headers: { host: 'tls.example' }, dispatcher: agent });
  expect(response.statusCode).toBe(200);
  expect(((await response.body.json()) as { server_name: string }).server_name).toBe('tls.example');
  await agent.close();
});

test('request log lines carry the tenant', async () => {
  lines.length = 0;
  await callUrl(`${shard.url}/_matrix/client/versions`, { host: 'tls.example' });
  const requestLine = lines.find((l) => l.msg === 'request' && l.url === '/_matrix/client/versions');
  expect(requestLine).toMatchObject({ tenant: 'tls.example', status: 200, method: 'GET' });
});
