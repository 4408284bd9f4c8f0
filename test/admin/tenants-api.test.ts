// The tenant management API over real HTTP against a real shard and PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { callTenant, callUrl } from '../helpers/http.ts';
import { TEST_ADMIN_TOKEN, startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;
const TENANTS = '/_tessera/admin/v1/tenants';

beforeAll(async () => {
  shard = await startTestShard();
});
afterAll(async () => shard?.close());

async function schemaExists(schema: string): Promise<boolean> {
  const client = new pg.Client(shard.testDatabase.url);
  await client.connect();
  try {
    const res = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return res.rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('create', () => {
  test('answers 201 with the tenant, its schema and a signing key', async () => {
    const res = await shard.admin('POST', TENANTS, {
      server_name: 'Create.Example',
      client_hostnames: ['matrix.create.example', 'MATRIX.create.example'],
      registration: 'open',
    });
    expect(res.status).toBe(201);
    const tenant = res.body as Record<string, unknown>;
    expect(tenant).toMatchObject({
      server_name: 'create.example',
      client_hostnames: ['matrix.create.example'],
      registration: 'open',
      state: 'active',
      public_baseurl: 'https://matrix.create.example',
      well_known_server: null,
      default_room_version: '10',
      db_cluster: 'default',
    });
    const keys = Object.keys(tenant.verify_keys as object);
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^ed25519:[A-Za-z0-9_]+$/);
    expect(await schemaExists(tenant.schema as string)).toBe(true);
  });

  test('registration defaults to closed', async () => {
    const tenant = await shard.createTenant({ server_name: 'closed.example' });
    expect(tenant.registration).toBe('closed');
  });

  test('a duplicate server name is 409', async () => {
    await shard.createTenant({ server_name: 'dup.example' });
    const res = await shard.admin('POST', TENANTS, { server_name: 'DUP.example' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ errcode: 'TESSERA_TENANT_EXISTS' });
  });

  test('a hostname claimed by another tenant is 409', async () => {
    await shard.createTenant({ server_name: 'owner.example', client_hostnames: ['chat.shared.example'] });
    const res = await shard.admin('POST', TENANTS, { server_name: 'other.example', client_hostnames: ['chat.shared.example'] });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ errcode: 'TESSERA_HOSTNAME_IN_USE' });
    const asServerName = await shard.admin('POST', TENANTS, { server_name: 'chat.shared.example' });
    expect(asServerName.status).toBe(409);
  });

  const invalidNames: unknown[] = [
    '',
    ' ',
    'a b.example',
    'under_score.example',
    'example.com:0',
    'example.com:65536',
    'example.com:99999',
    'example.com:',
    'example.com:abc',
    'a..example',
    '-lead.example',
    'trail-.example',
    `${'a'.repeat(64)}.example`,
    '1.2.3.256',
    '[::1',
    '[1:2:3:4:5:6:7:8:9]',
    '[::g]',
    'http://a.example',
    'a.example/path',
    '@user:a.example',
    'ünicode.example',
    42,
    null,
    ['a.example'],
    { name: 'a.example' },
  ];
  test.each(invalidNames.map((n) => [JSON.stringify(n), n]))('server name %s is 400 M_INVALID_PARAM', async (_label, name) => {
    const res = await shard.admin('POST', TENANTS, { server_name: name });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  const validNames = ['localhost:8448', '127.0.0.1', '127.0.0.1:8448', '[::1]', '[2001:db8::1]:443', 'xn--bcher-kva.example', 'a.b-c.example:1'];
  test.each(validNames)('server name %s is accepted', async (name) => {
    const res = await shard.admin('POST', TENANTS, { server_name: name });
    expect(res.status).toBe(201);
  });

  test('malformed JSON is 400 M_NOT_JSON', async () => {
    const res = await callUrl(`${shard.adminUrl}${TENANTS}`, { method: 'POST', rawBody: '{"server_name": ', token: TEST_ADMIN_TOKEN });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_NOT_JSON' });
  });

  test('a body that is not an object is 400 M_BAD_JSON', async () => {
    for (const body of [[1], 'x', 5]) {
      const res = await shard.admin('POST', TENANTS, body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errcode: 'M_BAD_JSON' });
    }
  });

  test('an empty body is 400', async () => {
    const res = await callUrl(`${shard.adminUrl}${TENANTS}`, { method: 'POST', token: TEST_ADMIN_TOKEN });
    expect(res.status).toBe(400);
  });

  test('unknown fields are 400 and name the field', async () => {
    const res = await shard.admin('POST', TENANTS, { server_name: 'unknown-field.example', colour: 'blue' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_BAD_JSON' });
    expect((res.body as { error: string }).error).toContain('colour');
    const absent = await shard.admin('GET', `${TENANTS}/unknown-field.example`);
    expect(absent.status).toBe(404);
  });

  test.each([
    [{ registration: 'sometimes' }],
    [{ client_hostnames: 'a.example' }],
    [{ client_hostnames: ['bad host'] }],
    [{ public_baseurl: 'ftp://x.example' }],
    [{ public_baseurl: 'not a url' }],
    [{ well_known_server: 'x:0' }],
    [{ well_known_client: [] }],
    [{ well_known_client: { 'm.homeserver': { base_url: 'https://x' } } }],
    [{ default_room_version: '99' }],
    [{ rate_limits: [] }],
    [{ rate_limits: { clients: { burst: 1, perSecond: 1 } } }],
    [{ rate_limits: { client: { burst: 0, perSecond: 1 } } }],
    [{ rate_limits: { client: { burst: 5, perSecond: -1 } } }],
  ])('invalid setting %j is 400 M_INVALID_PARAM', async (setting) => {
    const res = await shard.admin('POST', TENANTS, { server_name: 'settings.example', ...setting });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  test('missing server_name is 400 M_MISSING_PARAM', async () => {
    const res = await shard.admin('POST', TENANTS, { registration: 'open' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
  });
});

describe('list, show, update', () => {
  test('list pages through every tenant exactly once', async () => {
    for (let i = 0; i < 5; i++) await shard.createTenant({ server_name: `page${i}.list.example` });
    const seen: string[] = [];
    let from: string | undefined;
    let pages = 0;
    do {
      const res = await shard.admin('GET', `${TENANTS}?limit=2${from ? `&from=${from}` : ''}`);
      expect(res.status).toBe(200);
      const page = res.body as { tenants: Array<{ server_name: string }>; total: number; next_batch?: string };
      expect(page.tenants.length).toBeLessThanOrEqual(2);
      seen.push(...page.tenants.map((t) => t.server_name));
      from = page.next_batch;
      pages++;
    } while (from && pages < 1000);
    const total = ((await shard.admin('GET', TENANTS)).body as { total: number }).total;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    for (let i = 0; i < 5; i++) expect(seen).toContain(`page${i}.list.example`);
  });

  test('list rejects bad parameters', async () => {
    for (const query of ['limit=0', 'limit=abc', 'limit=5000', 'from=xyz', 'state=sleeping']) {
      const res = await shard.admin('GET', `${TENANTS}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
    }
  });

  test('list filters by state', async () => {
    await shard.createTenant({ server_name: 'filtered.example' });
    await shard.admin('POST', `${TENANTS}/filtered.example/suspend`, { reason: 'test' });
    const res = await shard.admin('GET', `${TENANTS}?state=suspended&limit=1000`);
    const names = (res.body as { tenants: Array<{ server_name: string; state: string }> }).tenants;
    expect(names.map((t) => t.server_name)).toContain('filtered.example');
    expect(names.every((t) => t.state === 'suspended')).toBe(true);
  });

  test('show returns the tenant; unknown is 404 M_NOT_FOUND', async () => {
    await shard.createTenant({ server_name: 'show.example' });
    const res = await shard.admin('GET', `${TENANTS}/SHOW.example`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ server_name: 'show.example', state: 'active' });
    const missing = await shard.admin('GET', `${TENANTS}/nobody.example`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
  });

  test('a server name with a port is addressed URL-encoded', async () => {
    await shard.createTenant({ server_name: 'ported.example:8448' });
    const res = await shard.admin('GET', `${TENANTS}/${encodeURIComponent('ported.example:8448')}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ server_name: 'ported.example:8448' });
  });

  test('update changes settings and the tenant serves them at once', async () => {
    await shard.createTenant({ server_name: 'update.example' });
    const before = await callTenant(shard.url, 'update.example', '/.well-known/matrix/client');
    expect(before.body).toEqual({ 'm.homeserver': { base_url: 'https://update.example' } });
    const res = await shard.admin('PATCH', `${TENANTS}/update.example`, {
      client_hostnames: ['chat.update.example'],
      registration: 'token',
      public_baseurl: 'https://chat.update.example/',
      well_known_client: { 'de.gematik.tim': { version: 1 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      client_hostnames: ['chat.update.example'],
      registration: 'token',
      public_baseurl: 'https://chat.update.example',
    });
    const after = await callTenant(shard.url, 'chat.update.example', '/.well-known/matrix/client');
    expect(after.body).toEqual({ 'm.homeserver': { base_url: 'https://chat.update.example' }, 'de.gematik.tim': { version: 1 } });
    // null resets to the default
    const reset = await shard.admin('PATCH', `${TENANTS}/update.example`, { public_baseurl: null, client_hostnames: [] });
    expect(reset.body).toMatchObject({ public_baseurl: 'https://update.example', client_hostnames: [] });
    const gone = await callTenant(shard.url, 'chat.update.example', '/.well-known/matrix/client');
    expect(gone.status).toBe(404);
  });

  test('update refuses server_name, unknown fields, bad values, foreign hostnames', async () => {
    await shard.createTenant({ server_name: 'strict.example' });
    await shard.createTenant({ server_name: 'neighbour.example' });
    const cases: Array<[unknown, number, string]> = [
      [{ server_name: 'x.example' }, 400, 'M_INVALID_PARAM'],
      [{ colour: 'red' }, 400, 'M_BAD_JSON'],
      [{ registration: 'maybe' }, 400, 'M_INVALID_PARAM'],
      [{ client_hostnames: ['neighbour.example'] }, 409, 'TESSERA_HOSTNAME_IN_USE'],
    ];
    for (const [body, status, errcode] of cases) {
      const res = await shard.admin('PATCH', `${TENANTS}/strict.example`, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toMatchObject({ errcode });
    }
    const missing = await shard.admin('PATCH', `${TENANTS}/nobody.example`, { registration: 'open' });
    expect(missing.status).toBe(404);
  });
});

describe('delete', () => {
  test('drops the tenant schema and nothing else', async () => {
    const keep = await shard.createTenant({ server_name: 'keep.example' });
    const doomed = await shard.createTenant({ server_name: 'doomed.example', client_hostnames: ['chat.doomed.example'] });
    expect((await callTenant(shard.url, 'doomed.example', '/_matrix/key/v2/server')).status).toBe(200);
    const keysBefore = (await callTenant(shard.url, 'keep.example', '/_matrix/key/v2/server')).body;

    const res = await shard.admin('DELETE', `${TENANTS}/doomed.example`);
    expect(res.status).toBe(200);
    expect(await schemaExists(doomed.schema as string)).toBe(false);
    expect(await schemaExists(keep.schema as string)).toBe(true);
    expect((await shard.admin('GET', `${TENANTS}/doomed.example`)).status).toBe(404);
    for (const host of ['doomed.example', 'chat.doomed.example']) {
      const gone = await callTenant(shard.url, host, '/_matrix/key/v2/server');
      expect(gone.status).toBe(404);
      expect(gone.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    }
    const keysAfter = (await callTenant(shard.url, 'keep.example', '/_matrix/key/v2/server')).body as Record<string, unknown>;
    expect(keysAfter.verify_keys).toEqual((keysBefore as Record<string, unknown>).verify_keys);
    expect((await shard.admin('DELETE', `${TENANTS}/doomed.example`)).status).toBe(404);
    // The name is free again.
    expect((await shard.admin('POST', TENANTS, { server_name: 'doomed.example' })).status).toBe(201);
  });
});
