// Starts a shard in-process on free ports against a fresh database, quiet logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig, type ShardConfig } from '../../src/config/config.ts';
import { startShard, type Shard } from '../../src/shard.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import { callUrl, type HttpResult } from './http.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestShard extends Shard {
  testDatabase: TestDatabase;
  /** Calls the admin API with the admin token. */
  admin(method: string, path: string, body?: unknown): Promise<HttpResult>;
  /** Creates a tenant through the admin API and returns its view (fails the test otherwise). */
  createTenant(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startTestShard(overrides: Partial<ShardConfig> = {}): Promise<TestShard> {
  const testDatabase = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-shard-'));
  const config: ShardConfig = {
    ...loadConfig({}),
    host: '127.0.0.1',
    port: 0,
    adminPort: 0,
    adminHost: '127.0.0.1',
    adminToken: TEST_ADMIN_TOKEN,
    dataDir,
    databaseUrl: testDatabase.url,
    databaseConnectTimeoutMs: 5_000,
    logLevel: 'silent',
    shardName: 'test-shard',
    shutdownGraceMs: 2_000,
    ...overrides,
  };
  const shard = await startShard(config, { log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }) });
  const admin = (method: string, path: string, body?: unknown): Promise<HttpResult> =>
    callUrl(`${shard.adminUrl}${path}`, { method, body, token: TEST_ADMIN_TOKEN });
  return Object.assign(shard, {
    testDatabase,
    admin,
    async createTenant(body: Record<string, unknown>) {
      const result = await admin('POST', '/_tessera/admin/v1/tenants', body);
      if (result.status !== 201) throw new Error(`tenant creation failed: ${result.status} ${result.text}`);
      return result.body as Record<string, unknown>;
    },
    async close() {
      await shard.stop();
      await testDatabase.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
