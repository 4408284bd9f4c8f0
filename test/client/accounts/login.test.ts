// GET/POST /login (m.login.password, m.login.token), POST /login/get_token (UIA), and what
// a login does to devices.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, PASSWORD, call, callRaw, loginUser, passwordAuth, registerUser, startAccountsShard, tenantDb, whoami } from './helpers.ts';

let shard: TestShard;
let tenant: Record<string, unknown>;
const HS = 'login.example';
const GET_TOKEN = '/_matrix/client/v1/login/get_token';

beforeAll(async () => {
  shard = await startAccountsShard();
  tenant = await shard.createTenant({ server_name: HS, registration: 'open', client_hostnames: ['matrix.login.example'] });
  await registerUser(shard, HS, 'bob');
});
afterAll(async () => shard?.close());

describe('GET /login', () => {
  test('lists password and token login', async () => {
    const res = await call(shard, HS, 'GET', `${CS}/login`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ flows: [{ type: 'm.login.password' }, { type: 'm.login.token', get_login_token: true }] });
  });
});

describe('m.login.password', () => {
  test('with identifier m.id.user and a localpart', async () => {
    const res = await call(shard, HS, 'POST', `${CS}/login`, {
      body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' }, password: PASSWORD, initial_device_display_name: 'Laptop' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      user_id: '@bob:login.example',
      home_server: HS,
      device_id: expect.stringMatching(/^[A-Z]{10}$/),
      access_token: expect.stringMatching(/^tsat_/),
      well_known: { 'm.homeserver': { base_url: 'https://matrix.login.example' } },
    });
    const { access_token, device_id } = res.body as { access_token: string; device_id: string };
    expect((await whoami(shard, HS, access_token)).body).toMatchObject({ user_id: '@bob:login.example', device_id });
    const device = await call(shard, HS, 'GET', `${CS}/devices/${device_id}`, { token: access_token });
    expect(device.body).toMatchObject({ device_id, display_name: 'Laptop' });
  });

  test.each([
    ['a full user ID', { identifier: { type: 'm.id.user', user: '@bob:login.example' } }],
    ['an upper-case localpart', { identifier: { type: 'm.id.user', user: 'BOB' } }],
    ['an upper-case user ID', { identifier: { type: 'm.id.user', user: '@Bob:login.example' } }],
    ['the deprecated user field', { user: 'bob' }],
  ])('with %s', async (_name, who) => {
    const res = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.password', password: PASSWORD, ...who } });
    expect(res.status).toBe(200);
    expect((res.body as { user_id: string }).user_id).toBe('@bob:login.example');
  });

  test.each([
    ['a wrong password', { identifier: { type: 'm.id.user', user: 'bob' }, password: 'wrong' }],
    ['an unknown user', { identifier: { type: 'm.id.user', user: 'nobody' }, password: PASSWORD }],
    ['a user of another server', { identifier: { type: 'm.id.user', user: '@bob:other.example' }, password: PASSWORD }],
    ['a third-party identifier', { identifier: { type: 'm.id.thirdparty', medium: 'email', address: 'bob@example.org' }, password: PASSWORD }],
    ['a phone identifier', { identifier: { type: 'm.id.phone', country: 'DE', phone: '123' }, password: PASSWORD }],
    ['the deprecated medium/address', { medium: 'email', address: 'bob@example.org', password: PASSWORD }],
  ])('%s is 403 M_FORBIDDEN', async (_name, fields) => {
    const res = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.password', ...fields } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test.each([
    ['no type', { identifier: { type: 'm.id.user', user: 'bob' }, password: PASSWORD }, 'M_MISSING_PARAM'],
    ['an unknown type', { type: 'm.login.magic' }, 'M_UNKNOWN'],
    ['no identifier', { type: 'm.login.password', password: PASSWORD }, 'M_MISSING_PARAM'],
    ['no password', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' } }, 'M_MISSING_PARAM'],
    ['a numeric password', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'bob' }, password: 1 }, 'M_BAD_JSON'],
    ['an identifier that is a string', { type: 'm.login.password', identifier: 'bob', password: PASSWORD }, 'M_BAD_JSON'],
    ['an unknown identifier type', { type: 'm.login.password', identifier: { type: 'm.id.fingerprint' }, password: PASSWORD }, 'M_UNKNOWN'],
    ['a numeric user', { type: 'm.login.password', identifier: { type: 'm.id.user', user: 7 }, password: PASSWORD }, 'M_BAD_JSON'],
    ['a string refresh_token flag', { type: 'm.login.password', user: 'bob', password: PASSWORD, refresh_token: 'yes' }, 'M_BAD_JSON'],
  ])('%s is 400 %s', async (_name, body, errcode) => {
    const res = await call(shard, HS, 'POST', `${CS}/login`, { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });

  test('a body that is not JSON is 400 M_NOT_JSON', async () => {
    const res = await call(shard, HS, 'POST', `${CS}/login`, { rawBody: 'type=m.login.password' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_NOT_JSON' });
  });

  test('refresh_token: true gets a refresh token and an expiry', async () => {
    const res = await loginUser(shard, HS, 'bob', { refresh_token: true });
    expect(res.refresh_token).toMatch(/^tsrt_/);
    expect(res.expires_in_ms).toBe(300_000);
  });

  test('logging in with a known device_id keeps the device and revokes its old token', async () => {
    const first = await loginUser(shard, HS, 'bob', { device_id: 'REUSED', initial_device_display_name: 'First name' });
    const second = await loginUser(shard, HS, 'bob', { device_id: 'REUSED', initial_device_display_name: 'Ignored' });
    expect(second.device_id).toBe('REUSED');
    expect((await whoami(shard, HS, first.access_token)).status).toBe(401);
    expect((await whoami(shard, HS, second.access_token)).status).toBe(200);
    const device = await call(shard, HS, 'GET', `${CS}/devices/REUSED`, { token: second.access_token });
    expect(device.body).toMatchObject({ display_name: 'First name' });
  });
});

describe('m.login.token and /login/get_token', () => {
  async function getLoginToken(accessToken: string, user = 'bob'): Promise<{ login_token: string; expires_in_ms: number }> {
    const first = await call(shard, HS, 'POST', GET_TOKEN, { body: {}, token: accessToken });
    expect(first.status).toBe(401);
    expect(first.body).toMatchObject({ flows: [{ stages: ['m.login.password'] }] });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'POST', GET_TOKEN, { body: { auth: passwordAuth(session, user) }, token: accessToken });
    expect(res.status).toBe(200);
    return res.body as { login_token: string; expires_in_ms: number };
  }

  test('issues a single-use token that logs in as the same user on a new device', async () => {
    const bob = await loginUser(shard, HS, 'bob');
    const { login_token, expires_in_ms } = await getLoginToken(bob.access_token);
    expect(expires_in_ms).toBe(120_000);
    expect(login_token).toMatch(/^tslt_/);
    const res = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.token', token: login_token } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: '@bob:login.example' });
    expect((res.body as { device_id: string }).device_id).not.toBe(bob.device_id);
    const again = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.token', token: login_token } });
    expect(again.status).toBe(403);
    expect(again.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('every token needs a fresh password prompt', async () => {
    const bob = await loginUser(shard, HS, 'bob');
    const first = await call(shard, HS, 'POST', GET_TOKEN, { body: {}, token: bob.access_token });
    const session = (first.body as { session: string }).session;
    const auth = passwordAuth(session, 'bob');
    expect((await call(shard, HS, 'POST', GET_TOKEN, { body: { auth }, token: bob.access_token })).status).toBe(200);
    const reuse = await callRaw(shard, HS, 'POST', GET_TOKEN, { body: { auth }, token: bob.access_token });
    expect(reuse.status).toBe(400);
  });

  test('an expired login token is refused', async () => {
    const bob = await loginUser(shard, HS, 'bob');
    const { login_token } = await getLoginToken(bob.access_token);
    await tenantDb(shard, tenant).updateTable('login_tokens').set({ expires_ts: Date.now() - 1 }).execute();
    const res = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.token', token: login_token } });
    expect(res.status).toBe(403);
  });

  test('unknown and malformed login tokens are 403, a missing one 400', async () => {
    for (const token of ['tslt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'garbage']) {
      const res = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.token', token } });
      expect(res.status).toBe(403);
    }
    const missing = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.token' } });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
  });

  test('a wrong password in the UIA stage is a 401 with errcode, and can be retried', async () => {
    const bob = await loginUser(shard, HS, 'bob');
    const first = await call(shard, HS, 'POST', GET_TOKEN, { body: {}, token: bob.access_token });
    const session = (first.body as { session: string }).session;
    const wrong = await call(shard, HS, 'POST', GET_TOKEN, { body: { auth: passwordAuth(session, 'bob', 'nope') }, token: bob.access_token });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ errcode: 'M_FORBIDDEN', session, flows: [{ stages: ['m.login.password'] }] });
    expect(wrong.body).not.toHaveProperty('completed');
    const right = await call(shard, HS, 'POST', GET_TOKEN, { body: { auth: passwordAuth(session, 'bob') }, token: bob.access_token });
    expect(right.status).toBe(200);
  });

  test('requires an access token', async () => {
    const res = await callRaw(shard, HS, 'POST', GET_TOKEN, { body: {} });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });
});

describe('deactivated accounts', () => {
  test('cannot log in: 403 M_USER_DEACTIVATED', async () => {
    const carol = await registerUser(shard, HS, 'carol');
    const first = await call(shard, HS, 'POST', `${CS}/account/deactivate`, { body: {}, token: carol.access_token });
    const session = (first.body as { session: string }).session;
    const done = await call(shard, HS, 'POST', `${CS}/account/deactivate`, { body: { auth: passwordAuth(session, 'carol') }, token: carol.access_token });
    expect(done.status).toBe(200);
    const res = await call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.password', user: 'carol', password: PASSWORD } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_USER_DEACTIVATED' });
  });
});
