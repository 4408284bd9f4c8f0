// Discovery and key endpoints of a real shard, checked against the Matrix spec's OpenAPI
// definitions: versions, .well-known (client and server), federation version, server keys
// (and their signature), CORS, and the errors for unknown endpoints and methods.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeBase64 } from '../../src/protocol/base64.ts';
import { verifyJson } from '../../src/protocol/signing.ts';
import { callTenant, type HttpResult } from '../helpers/http.ts';
import { expectSpecResponse, expectSpecSchema } from '../helpers/openapi.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

const TENANT = 'discovery.example';
const TENANT_ADMIN = `/_tessera/admin/v1/tenants/${TENANT}`;

// The headers the client-server spec recommends ("Web Browser Clients").
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};

let shard: TestShard;
beforeAll(async () => {
  shard = await startTestShard();
  await shard.createTenant({ server_name: TENANT });
});
afterAll(async () => shard?.close());

const get = (path: string): Promise<HttpResult> => callTenant(shard.url, TENANT, path);

async function patchTenant(settings: Record<string, unknown>): Promise<void> {
  const result = await shard.admin('PATCH', TENANT_ADMIN, settings);
  expect(result.status, result.text).toBe(200);
}

function expectCors(result: HttpResult): void {
  for (const [name, value] of Object.entries(CORS_HEADERS)) expect(result.headers[name], name).toBe(value);
}

async function expectUnrecognized(result: HttpResult, status: 404 | 405): Promise<void> {
  expect(result.status, result.text).toBe(status);
  expect(result.headers['content-type']).toMatch(/^application\/json/);
  expect((result.body as { errcode?: unknown }).errcode).toBe('M_UNRECOGNIZED');
  // No operation defines these responses; they are standard error responses.
  await expectSpecSchema('client-server', 'definitions/errors/error.yaml', result.body);
  expectCors(result);
}

describe('GET /_matrix/client/versions', () => {
  test('conforms to the spec and lists v1.11', async () => {
    const result = await get('/_matrix/client/versions');
    expect(result.status).toBe(200);
    await expectSpecResponse('client-server', 'GET', '/_matrix/client/versions', result.status, result.body);
    expect((result.body as { versions: string[] }).versions).toContain('v1.11');
    expectCors(result);
  });
});

describe('GET /.well-known/matrix/client', () => {
  const path = '/.well-known/matrix/client';

  test('by default points clients at https://<server name>', async () => {
    const result = await get(path);
    expect(result.status).toBe(200);
    await expectSpecResponse('client-server', 'GET', path, result.status, result.body);
    expect(result.body).toEqual({ 'm.homeserver': { base_url: `https://${TENANT}` } });
    expectCors(result);
  });

  test('follows public_baseurl and well_known_client changes', async () => {
    await patchTenant({
      public_baseurl: 'https://matrix.discovery.example/',
      well_known_client: {
        'm.identity_server': { base_url: 'https://identity.discovery.example' },
        'org.example.app': { app_url: 'https://app.discovery.example' },
      },
    });
    const result = await get(path);
    expect(result.status).toBe(200);
    await expectSpecResponse('client-server', 'GET', path, result.status, result.body);
    expect(result.body).toEqual({
      'm.homeserver': { base_url: 'https://matrix.discovery.example' },
      'm.identity_server': { base_url: 'https://identity.discovery.example' },
      'org.example.app': { app_url: 'https://app.discovery.example' },
    });

    await patchTenant({ public_baseurl: null, well_known_client: null });
    const reset = await get(path);
    await expectSpecResponse('client-server', 'GET', path, reset.status, reset.body);
    expect(reset.body).toEqual({ 'm.homeserver': { base_url: `https://${TENANT}` } });
  });
});

describe('GET /.well-known/matrix/server', () => {
  const path = '/.well-known/matrix/server';

  test('is 404 M_NOT_FOUND without delegation', async () => {
    const result = await get(path);
    expect(result.status).toBe(404);
    expect((result.body as { errcode?: unknown }).errcode).toBe('M_NOT_FOUND');
    // The spec defines only the 200 response here; the error is a standard error body.
    await expectSpecSchema('client-server', 'definitions/errors/error.yaml', result.body);
    expectCors(result);
  });

  test('serves the configured delegation, and stops when it is removed', async () => {
    await patchTenant({ well_known_server: 'matrix.discovery.example:443' });
    const result = await get(path);
    expect(result.status).toBe(200);
    await expectSpecResponse('server-server', 'GET', path, result.status, result.body);
    expect(result.body).toEqual({ 'm.server': 'matrix.discovery.example:443' });
    expectCors(result);

    await patchTenant({ well_known_server: null });
    expect((await get(path)).status).toBe(404);
  });
});

describe('GET /_matrix/federation/v1/version', () => {
  test('conforms to the spec and names the implementation', async () => {
    const result = await get('/_matrix/federation/v1/version');
    expect(result.status).toBe(200);
    await expectSpecResponse('server-server', 'GET', '/_matrix/federation/v1/version', result.status, result.body);
    const { server } = result.body as { server: { name: string; version: string } };
    expect(server.name).toBe('Tessera');
    expect(server.version).toMatch(/\S/);
    expectCors(result);
  });
});

describe('GET /_matrix/key/v2/server', () => {
  const path = '/_matrix/key/v2/server';

  interface ServerKeys {
    server_name: string;
    verify_keys: Record<string, { key: string }>;
    old_verify_keys: Record<string, { key: string; expired_ts: number }>;
    valid_until_ts: number;
    signatures: Record<string, Record<string, string>>;
  }

  /** Checks the self-signature with each current key; returns the current key IDs. */
  function expectSelfSigned(keys: ServerKeys): string[] {
    const keyIds = Object.keys(keys.verify_keys);
    expect(keyIds.length).toBeGreaterThan(0);
    for (const keyId of keyIds) {
      const publicKey = decodeBase64((keys.verify_keys[keyId] as { key: string }).key);
      expect(publicKey?.byteLength, keyId).toBe(32);
      expect(verifyJson(keys, TENANT, keyId, publicKey as Uint8Array), `signature by ${keyId}`).toBe(true);
      // The check is not vacuous: a changed body fails it.
      expect(verifyJson({ ...keys, valid_until_ts: keys.valid_until_ts + 1 }, TENANT, keyId, publicKey as Uint8Array)).toBe(false);
    }
    return keyIds;
  }

  test('conforms to the spec and is signed by the key it publishes', async () => {
    const before = Date.now();
    const result = await get(path);
    expect(result.status).toBe(200);
    await expectSpecResponse('server-server', 'GET', path, result.status, result.body);
    const keys = result.body as ServerKeys;
    expect(keys.server_name).toBe(TENANT);
    expect(keys.valid_until_ts).toBeGreaterThan(before);
    expectSelfSigned(keys);
    expectCors(result);

    // The admin API publishes the same key.
    const view = (await shard.admin('GET', TENANT_ADMIN)).body as { verify_keys?: Record<string, { key: string }> };
    expect(view.verify_keys).toEqual(keys.verify_keys);
  });

  test('after a key rotation lists the old key and is signed by the new one', async () => {
    const oldKeyIds = Object.keys(((await get(path)).body as ServerKeys).verify_keys);
    const rotated = await shard.admin('POST', `${TENANT_ADMIN}/keys/rotate`);
    expect(rotated.status, rotated.text).toBe(200);

    const result = await get(path);
    expect(result.status).toBe(200);
    await expectSpecResponse('server-server', 'GET', path, result.status, result.body);
    const keys = result.body as ServerKeys;
    const newKeyIds = expectSelfSigned(keys);
    expect(newKeyIds).not.toEqual(oldKeyIds);
    for (const keyId of oldKeyIds) {
      const old = keys.old_verify_keys[keyId];
      expect(old, keyId).toBeDefined();
      expect(decodeBase64((old as { key: string }).key)?.byteLength).toBe(32);
      expect((old as { expired_ts: number }).expired_ts).toBeLessThanOrEqual(Date.now());
    }
  });
});

describe('CORS', () => {
  test.each(['/_matrix/client/versions', '/_matrix/client/v3/login', '/_matrix/client/v3/no_such_endpoint'])(
    'an OPTIONS preflight to %s is answered 204 with the CORS headers',
    async (path) => {
      const result = await callTenant(shard.url, TENANT, path, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.org',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      expect(result.status).toBe(204);
      expect(result.text).toBe('');
      expectCors(result);
    },
  );
});

describe('unrecognised requests', () => {
  test('an unknown endpoint is 404 M_UNRECOGNIZED', async () => {
    await expectUnrecognized(await get('/_matrix/client/v3/no_such_endpoint'), 404);
    await expectUnrecognized(await get('/_matrix/federation/v1/no_such_endpoint'), 404);
  });

  test('a known endpoint with the wrong method is 405 M_UNRECOGNIZED', async () => {
    await expectUnrecognized(await callTenant(shard.url, TENANT, '/_matrix/client/versions', { method: 'POST', body: {} }), 405);
    await expectUnrecognized(await callTenant(shard.url, TENANT, '/_matrix/key/v2/server', { method: 'PUT', body: {} }), 405);
    await expectUnrecognized(await callTenant(shard.url, TENANT, '/.well-known/matrix/client', { method: 'DELETE' }), 405);
  });
});

test('an unknown endpoint is 404 and a wrong method 405 even with a malformed body', async () => {
  const server_name = 'badbody.example';
  await shard.createTenant({ server_name });
  const unknown = await callTenant(shard.url, server_name, '/_matrix/client/v3/nothing', { method: 'POST', rawBody: '{' });
  expect(unknown.status).toBe(404);
  expect(unknown.body).toMatchObject({ errcode: 'M_UNRECOGNIZED' });
  const wrongMethod = await callTenant(shard.url, server_name, '/_matrix/client/versions', { method: 'POST', rawBody: '{' });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.allow).toBe('GET, OPTIONS');
});

test('well_known_client must keep /.well-known/matrix/client valid', async () => {
  await shard.createTenant({ server_name: 'idserver.example' });
  for (const value of [{ 'm.identity_server': 'https://id.example' }, { 'm.identity_server': { base_url: 'not a uri' } }]) {
    const res = await shard.admin('PATCH', '/_tessera/admin/v1/tenants/idserver.example', { well_known_client: value });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  }
});
