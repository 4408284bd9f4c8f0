// Requests reach the tenant their Host names: case-insensitive, port rules, client hostnames;
// unknown or malformed hosts get a Matrix error and never another tenant's data.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { decodeBase64 } from '../../src/protocol/base64.ts';
import { verifyJson } from '../../src/protocol/signing.ts';
import { callTenant, callUrl } from '../helpers/http.ts';
import { startTestShard, type TestShard } from '../helpers/shard.ts';

let shard: TestShard;

/** A GET with an arbitrary Host header, which HTTP clients would refuse to send. */
function rawGet(url: URL, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1]);
      resolve({ status, body: data.slice(data.indexOf('\r\n\r\n') + 4) });
    });
  });
}

interface KeyResponse {
  server_name: string;
  verify_keys: Record<string, { key: string }>;
  old_verify_keys: Record<string, { key: string; expired_ts: number }>;
  valid_until_ts: number;
  signatures: Record<string, Record<string, string>>;
}

beforeAll(async () => {
  shard = await startTestShard();
  await shard.createTenant({ server_name: 'alpha.example', client_hostnames: ['matrix.alpha.example'] });
  await shard.createTenant({ server_name: 'beta.example' });
  await shard.createTenant({ server_name: 'localhost:8448' });
});
afterAll(async () => shard?.close());

async function keysOf(host: string): Promise<KeyResponse> {
  const res = await callTenant(shard.url, host, '/_matrix/key/v2/server');
  expect(res.status, `${host}: ${res.text}`).toBe(200);
  return res.body as KeyResponse;
}

/** The response is signed by its own current key over its canonical JSON. */
function expectSelfSigned(body: KeyResponse): void {
  const [keyId, { key }] = Object.entries(body.verify_keys)[0] as [string, { key: string }];
  expect(verifyJson(body, body.server_name, keyId, decodeBase64(key) as Uint8Array)).toBe(true);
  // and a tampered copy does not verify
  expect(verifyJson({ ...body, valid_until_ts: body.valid_until_ts + 1 }, body.server_name, keyId, decodeBase64(key) as Uint8Array)).toBe(false);
}

describe('Host routing', () => {
  test('two tenants have different keys and each key response verifies', async () => {
    const alpha = await keysOf('alpha.example');
    const beta = await keysOf('beta.example');
    expect(alpha.server_name).toBe('alpha.example');
    expect(beta.server_name).toBe('beta.example');
    expect(Object.values(alpha.verify_keys)[0]?.key).not.toBe(Object.values(beta.verify_keys)[0]?.key);
    expectSelfSigned(alpha);
    expectSelfSigned(beta);
    expect(alpha.valid_until_ts).toBeGreaterThan(Date.now());
  });

  test('matching is case-insensitive and ignores a trailing dot', async () => {
    expect((await keysOf('ALPHA.Example')).server_name).toBe('alpha.example');
    const dotted = await callUrl(`${shard.url}/_matrix/key/v2/server`, { host: 'alpha.example.' });
    expect((dotted.body as KeyResponse).server_name).toBe('alpha.example');
  });

  test('a name without a port matches its host on any port', async () => {
    for (const host of ['alpha.example:443', 'alpha.example:8448', 'alpha.example']) {
      const res = await callUrl(`${shard.url}/_matrix/key/v2/server`, { host });
      expect((res.body as KeyResponse).server_name, host).toBe('alpha.example');
    }
  });

  test('a name with a port matches only that host and port', async () => {
    const exact = await callUrl(`${shard.url}/_matrix/key/v2/server`, { host: 'LOCALHOST:8448' });
    expect((exact.body as KeyResponse).server_name).toBe('localhost:8448');
    for (const host of ['localhost', 'localhost:8008', 'localhost:84480']) {
      const res = await callUrl(`${shard.url}/_matrix/key/v2/server`, { host });
      expect(res.status, host).toBeGreaterThanOrEqual(400);
      expect(res.status, host).toBeLessThan(500);
      expect(res.body, host).toMatchObject({ errcode: expect.stringMatching(/^M_/) });
    }
  });

  test('a client hostname reaches its tenant', async () => {
    expect((await keysOf('matrix.alpha.example')).server_name).toBe('alpha.example');
    expect((await keysOf('MATRIX.alpha.example:443')).server_name).toBe('alpha.example');
  });

  test('an unknown host is 404 with a Matrix error and no tenant data', async () => {
    for (const host of ['gamma.example', 'alpha.example.evil', 'evil.alpha.example', 'example']) {
      const res = await callUrl(`${shard.url}/_matrix/key/v2/server`, { host });
      expect(res.status, host).toBe(404);
      expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
      expect(res.text).not.toMatch(/verify_keys|server_name|ed25519/);
    }
  });

  test('a malformed Host is 400 with a Matrix error', async () => {
    for (const host of ['bad_host', 'a.example:99999', '[::1', '@x:y']) {
      const res = await rawGet(new URL(shard.url), host, '/_matrix/client/versions');
      expect(res.status, host).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ errcode: expect.stringMatching(/^M_/) });
    }
  });

  test('a tenant created after an unknown-host miss is served at once', async () => {
    const miss = await callTenant(shard.url, 'late.example', '/_matrix/client/versions');
    expect(miss.status).toBe(404);
    await shard.createTenant({ server_name: 'late.example' });
    const hit = await callTenant(shard.url, 'late.example', '/_matrix/client/versions');
    expect(hit.status).toBe(200);
  });

  test('shard-level probes answer whatever the Host', async () => {
    for (const host of ['nobody.example', 'alpha.example']) {
      const res = await callUrl(`${shard.url}/health`, { host });
      expect(res.status).toBe(200);
      const ready = await callUrl(`${shard.url}/ready`, { host });
      expect(ready.status).toBe(200);
    }
  });
});

describe('key rotation', () => {
  test('moves the old key to old_verify_keys and signs with the new one', async () => {
    await shard.createTenant({ server_name: 'rotate.example' });
    const before = await keysOf('rotate.example');
    const [oldId, oldKey] = Object.entries(before.verify_keys)[0] as [string, { key: string }];
    const res = await shard.admin('POST', '/_tessera/admin/v1/tenants/rotate.example/keys/rotate');
    expect(res.status).toBe(200);
    const after = await keysOf('rotate.example');
    const [newId] = Object.keys(after.verify_keys);
    expect(newId).not.toBe(oldId);
    expect(after.old_verify_keys[oldId]).toMatchObject({ key: oldKey.key });
    expect(after.old_verify_keys[oldId]?.expired_ts).toBeLessThanOrEqual(Date.now());
    expect(Object.keys(after.signatures['rotate.example'] ?? {})).toEqual([newId]);
    expectSelfSigned(after);
    // rotating again keeps both old keys
    await shard.admin('POST', '/_tessera/admin/v1/tenants/rotate.example/keys/rotate');
    const third = await keysOf('rotate.example');
    expect(Object.keys(third.old_verify_keys).sort()).toEqual([oldId, newId].sort());
    expectSelfSigned(third);
  });

  test('rotating an unknown tenant is 404', async () => {
    const res = await shard.admin('POST', '/_tessera/admin/v1/tenants/nobody.example/keys/rotate');
    expect(res.status).toBe(404);
  });
});

describe('suspension', () => {
  test('every request for a suspended tenant is 403 naming the suspension; resume restores it intact', async () => {
    await shard.createTenant({ server_name: 'paused.example', client_hostnames: ['chat.paused.example'] });
    const keysBefore = await keysOf('paused.example');
    const res = await shard.admin('POST', '/_tessera/admin/v1/tenants/paused.example/suspend', { reason: 'invoice overdue' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'suspended', suspended_reason: 'invoice overdue' });
    for (const [host, path] of [
      ['paused.example', '/_matrix/key/v2/server'],
      ['paused.example', '/_matrix/client/versions'],
      ['chat.paused.example', '/.well-known/matrix/client'],
      ['paused.example', '/_matrix/federation/v1/version'],
      ['paused.example', '/_matrix/client/v3/nonexistent'],
    ] as const) {
      const blocked = await callTenant(shard.url, host, path);
      expect(blocked.status, `${host}${path}`).toBe(403);
      expect(blocked.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
      expect((blocked.body as { error: string }).error).toMatch(/suspended/);
      expect((blocked.body as { error: string }).error).toContain('invoice overdue');
    }
    // Other tenants are unaffected.
    expect((await keysOf('beta.example')).server_name).toBe('beta.example');

    const resumed = await shard.admin('POST', '/_tessera/admin/v1/tenants/paused.example/resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ state: 'active', suspended_reason: null });
    const keysAfter = await keysOf('paused.example');
    expect(keysAfter.verify_keys).toEqual(keysBefore.verify_keys);
  });

  test('suspend validates its body', async () => {
    await shard.createTenant({ server_name: 'suspend-body.example' });
    const bad = await shard.admin('POST', '/_tessera/admin/v1/tenants/suspend-body.example/suspend', { reason: 5 });
    expect(bad.status).toBe(400);
    const unknown = await shard.admin('POST', '/_tessera/admin/v1/tenants/suspend-body.example/suspend', { why: 'x' });
    expect(unknown.status).toBe(400);
    const none = await shard.admin('POST', '/_tessera/admin/v1/tenants/suspend-body.example/suspend');
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ state: 'suspended', suspended_reason: null });
    const blocked = await callTenant(shard.url, 'suspend-body.example', '/_matrix/client/versions');
    expect(blocked.status).toBe(403);
  });
});
