import { afterAll, beforeAll, expect, test } from 'vitest';
import { callTenant } from '../helpers/http.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;
beforeAll(async () => {
  shard = await startTestShard();
});
afterAll(async () => shard?.close());

test('a created tenant answers by name', async () => {
  await shard.createTenant({ server_name: 'smoke.example' });
  const res = await callTenant(shard.url, 'smoke.example', '/_matrix/client/versions');
  expect(res.status).toBe(200);
  expect((res.body as { versions: string[] }).versions).toContain('v1.11');
});
