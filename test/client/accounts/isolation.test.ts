// Tenant isolation of accounts: tokens, users, UIA sessions, login tokens and registration
// tokens of one tenant mean nothing on another, even for identical localparts.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, PASSWORD, call, callRaw, loginUser, passwordAuth, registerUser, startAccountsShard, whoami } from './helpers.ts';

let shard: TestShard;
const A = 'tenant-a.example';
const B = 'tenant-b.example';

beforeAll(async () => {
  shard = await startAccountsShard();
  await shard.createTenant({ server_name: A, registration: 'open' });
  await shard.createTenant({ server_name: B, registration: 'open', client_hostnames: ['matrix.tenant-b.example'] });
});
afterAll(async () => shard?.close());

describe('cross-tenant isolation', () => {
  test('a token of tenant A is unknown on tenant B (and on B’s client hostname)', async () => {
    const alice = await registerUser(shard, A, 'alice');
    expect((await whoami(shard, A, alice.access_token)).status).toBe(200);
    for (const host of [B, 'matrix.tenant-b.example']) {
      const res = await whoami(shard, host, alice.access_token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    }
    // Still fine on A afterwards (nothing was cached wrongly).
    expect((await whoami(shard, A, alice.access_token)).status).toBe(200);
  });

  test('the same localpart on both tenants is two different users', async () => {
    const onA = await registerUser(shard, A, 'dana');
    const onB = await registerUser(shard, B, 'dana');
    expect(onA.user_id).toBe('@dana:tenant-a.example');
    expect(onB.user_id).toBe('@dana:tenant-b.example');
    expect((await whoami(shard, A, onA.access_token)).body).toMatchObject({ user_id: '@dana:tenant-a.example' });
    expect((await whoami(shard, B, onB.access_token)).body).toMatchObject({ user_id: '@dana:tenant-b.example' });
    // Logging out everywhere on A leaves B alone.
    expect((await call(shard, A, 'POST', `${CS}/logout/all`, { token: onA.access_token })).status).toBe(200);
    expect((await whoami(shard, B, onB.access_token)).status).toBe(200);
  });

  test('a user of A cannot log in on B, even by full user ID', async () => {
    await registerUser(shard, A, 'erin');
    for (const user of ['erin', '@erin:tenant-a.example']) {
      const res = await call(shard, B, 'POST', `${CS}/login`, { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: PASSWORD } });
      expect(res.status).toBe(403);
    }
  });

  test('a refresh token of A is unknown on B', async () => {
    const frank = await registerUser(shard, A, 'frank', { refresh_token: true });
    const res = await call(shard, B, 'POST', `${CS}/refresh`, { body: { refresh_token: frank.refresh_token } });
    expect(res.status).toBe(401);
  });

  test('a UIA session of A is unknown on B', async () => {
    const first = await call(shard, A, 'POST', `${CS}/register`, { body: { username: 'gina', password: PASSWORD } });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, B, 'POST', `${CS}/register`, { body: { username: 'gina', password: PASSWORD, auth: { type: 'm.login.dummy', session } } });
    expect(res.status).toBe(400);
  });

  test('a login token of A does not log in on B', async () => {
    await registerUser(shard, A, 'hank');
    await registerUser(shard, B, 'hank');
    const hank = await loginUser(shard, A, 'hank');
    const first = await call(shard, A, 'POST', '/_matrix/client/v1/login/get_token', { body: {}, token: hank.access_token });
    const session = (first.body as { session: string }).session;
    const issued = await call(shard, A, 'POST', '/_matrix/client/v1/login/get_token', { body: { auth: passwordAuth(session, 'hank') }, token: hank.access_token });
    const { login_token } = issued.body as { login_token: string };
    const res = await call(shard, B, 'POST', `${CS}/login`, { body: { type: 'm.login.token', token: login_token } });
    expect(res.status).toBe(403);
    // Unspent, it still works on A.
    expect((await call(shard, A, 'POST', `${CS}/login`, { body: { type: 'm.login.token', token: login_token } })).status).toBe(200);
  });

  test('device IDs are per tenant and per user', async () => {
    const onA = await registerUser(shard, A, 'ivan', { device_id: 'SHAREDID' });
    const onB = await registerUser(shard, B, 'ivan', { device_id: 'SHAREDID' });
    expect((await call(shard, A, 'GET', `${CS}/devices/SHAREDID`, { token: onA.access_token })).status).toBe(200);
    expect((await call(shard, B, 'GET', `${CS}/devices/SHAREDID`, { token: onB.access_token })).status).toBe(200);
    expect((await call(shard, A, 'POST', `${CS}/logout`, { token: onA.access_token })).status).toBe(200);
    expect((await whoami(shard, B, onB.access_token)).status).toBe(200);
  });

  test('registration tokens and shared secrets belong to one tenant', async () => {
    await shard.admin('PATCH', `/_tessera/admin/v1/tenants/${B}`, { registration: 'token' });
    const created = await shard.admin('POST', `/_tessera/admin/v1/tenants/${A}/registration-tokens`, { token: 'only-for-a' });
    expect(created.status).toBe(201);
    const validity = await call(shard, B, 'GET', '/_matrix/client/v1/register/m.login.registration_token/validity?token=only-for-a');
    expect(validity.body).toEqual({ valid: false });
    const a = await shard.admin('GET', `/_tessera/admin/v1/tenants/${A}/registration-shared-secret`);
    const b = await shard.admin('GET', `/_tessera/admin/v1/tenants/${B}/registration-shared-secret`);
    expect(a.body).not.toEqual(b.body);
    await shard.admin('PATCH', `/_tessera/admin/v1/tenants/${B}`, { registration: 'open' });
  });

  test('an unknown host gets no further than the tenant resolver', async () => {
    const alice = await loginUser(shard, A, 'alice');
    const res = await callRaw(shard, 'unknown-tenant.example', 'GET', `${CS}/account/whoami`, { token: alice.access_token });
    expect(res.status).toBe(404);
  });
});
