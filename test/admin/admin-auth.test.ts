// Every admin request needs the bearer token; the admin listener is not the public one.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { callUrl } from '../helpers/http.ts';
import { TEST_ADMIN_TOKEN, startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;
beforeAll(async () => {
  shard = await startTestShard();
});
afterAll(async () => shard?.close());

const paths: Array<[string, string]> = [
  ['GET', '/_tessera/admin/v1/tenants'],
  ['POST', '/_tessera/admin/v1/tenants'],
  ['GET', '/_tessera/admin/v1/tenants/a.example'],
  ['PATCH', '/_tessera/admin/v1/tenants/a.example'],
  ['DELETE', '/_tessera/admin/v1/tenants/a.example'],
  ['POST', '/_tessera/admin/v1/tenants/a.example/suspend'],
  ['POST', '/_tessera/admin/v1/tenants/a.example/resume'],
  ['POST', '/_tessera/admin/v1/tenants/a.example/keys/rotate'],
  ['GET', '/metrics'],
  ['GET', '/nonexistent'],
];

test.each(paths)('%s %s without a token is 401 M_MISSING_TOKEN', async (method, path) => {
  const res = await callUrl(`${shard.adminUrl}${path}`, { method, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
});

test.each(paths)('%s %s with a wrong token is 401 M_UNKNOWN_TOKEN', async (method, path) => {
  const res = await callUrl(`${shard.adminUrl}${path}`, { method, token: `${TEST_ADMIN_TOKEN}x` });
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
});

test('a malformed Authorization header is 401', async () => {
  for (const authorization of ['Basic abc', 'Bearer', TEST_ADMIN_TOKEN, `Bearer ${TEST_ADMIN_TOKEN} extra`]) {
    const res = await callUrl(`${shard.adminUrl}/_tessera/admin/v1/tenants`, { headers: { authorization } });
    expect(res.status, authorization).toBe(401);
  }
});

test('with the token, metrics are served in Prometheus format', async () => {
  await shard.createTenant({ server_name: 'metrics.example' });
  await callUrl(`${shard.url}/_matrix/client/versions`, { host: 'metrics.example' });
  const res = await callUrl(`${shard.adminUrl}/metrics`, { token: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/text\/plain/);
  expect(res.text).toContain('process_resident_memory_bytes');
  expect(res.text).toContain('tessera_loaded_tenants 1');
  expect(res.text).toMatch(/tessera_pg_pool_connections\{state="total"\} \d+/);
  expect(res.text).toContain('tessera_http_requests_total{tenant="metrics.example",method="GET",route="/_matrix/client/versions",status="200"} 1');
  // An unloaded tenant's series go away, so /metrics tracks loaded tenants only.
  shard.tenants.invalidateAll();
  const after = await callUrl(`${shard.adminUrl}/metrics`, { token: TEST_ADMIN_TOKEN });
  expect(after.text).not.toContain('tenant="metrics.example"');
  expect(after.text).toContain('tessera_loaded_tenants 0');
});

test('the admin API is not served on the public listener', async () => {
  const res = await callUrl(`${shard.url}/_tessera/admin/v1/tenants`, { host: 'metrics.example', token: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(404);
  expect(res.body).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
  const metrics = await callUrl(`${shard.url}/metrics`, { host: 'metrics.example' });
  expect(metrics.status).toBe(404);
});
