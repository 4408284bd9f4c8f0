import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

test('defaults follow the documented contract', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({
    port: 8008,
    adminPort: 8009,
    adminHost: '127.0.0.1',
    host: '0.0.0.0',
    adminToken: undefined,
    databaseUrl: undefined,
    logLevel: 'info',
    tenantIdleMs: 600_000,
    maxLoadedTenants: 10_000,
  });
  expect(config.dataDir).toMatch(/\/data$/);
});

test('environment variables are read', () => {
  const config = loadConfig({
    PORT: '9000',
    ADMIN_PORT: '9001',
    ADMIN_HOST: '0.0.0.0',
    ADMIN_TOKEN: 'a-long-enough-admin-token',
    DATA_DIR: '/var/lib/tessera',
    DATABASE_URL: 'postgresql://u:p@db:5432/tessera',
    LOG_LEVEL: 'debug',
    TENANT_IDLE_MS: '5000',
    MAX_LOADED_TENANTS: '50',
    SHARD_NAME: 'shard-1',
  });
  expect(config).toMatchObject({
    port: 9000,
    adminPort: 9001,
    adminHost: '0.0.0.0',
    adminToken: 'a-long-enough-admin-token',
    dataDir: '/var/lib/tessera',
    databaseUrl: 'postgresql://u:p@db:5432/tessera',
    logLevel: 'debug',
    tenantIdleMs: 5000,
    maxLoadedTenants: 50,
    shardName: 'shard-1',
  });
});

test.each([
  [{ PORT: '-1' }, /PORT must be an integer/],
  [{ PORT: '1.5' }, /PORT must be an integer/],
  [{ PORT: '65536' }, /PORT must be between 0 and 65535/],
  [{ DATABASE_URL: 'not a url' }, /DATABASE_URL must be a URL/],
  [{ DATABASE_URL: 'http://x/y' }, /postgres:\/\//],
  [{ ADMIN_TOKEN: 'tooshort' }, /ADMIN_TOKEN must be at least 16/],
  [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL must be one of/],
  [{ TENANT_IDLE_MS: '10' }, /TENANT_IDLE_MS must be between/],
  [{ MAX_LOADED_TENANTS: '0' }, /MAX_LOADED_TENANTS must be between/],
  [{ TLS_PORT: '8448' }, /TLS_PORT needs TLS_CERT_PATH and TLS_KEY_PATH/],
  [{ SHARD_NAME: 'bad name!' }, /SHARD_NAME may contain/],
])('%j is rejected with a clear message', (env, message) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(message);
});

test('RATE_LIMITS overrides classes of the rate limits; anything else in it is refused', () => {
  expect(loadConfig({}).rateLimits).toBeUndefined();
  const config = loadConfig({ RATE_LIMITS: '{"client":{"burst":500,"perSecond":50},"maxKeysPerTenant":2000}' });
  expect(config.rateLimits).toEqual({ client: { burst: 500, perSecond: 50 }, maxKeysPerTenant: 2000 });
  for (const bad of [
    'not json',
    '[]',
    '{"clients":{"burst":1,"perSecond":1}}',
    '{"client":{"burst":0,"perSecond":1}}',
    '{"client":{"burst":5,"perSecond":-1}}',
    '{"client":{"burst":5}}',
    '{"client":{"burst":5,"perSecond":1,"extra":1}}',
    '{"maxKeysPerTenant":1.5}',
  ]) {
    expect(() => loadConfig({ RATE_LIMITS: bad }), bad).toThrow(ConfigError);
  }
});
