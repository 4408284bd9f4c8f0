// POST /register, GET /register/available: the open flow step by step, username rules,
// options (inhibit_login, device_id, refresh_token), closed and guest registration.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { expectSpecSchema } from '../../helpers/openapi.ts';
import { CS, PASSWORD, call, callRaw, loginUser, registerUser, startAccountsShard, tenantDb, whoami } from './helpers.ts';

let shard: TestShard;
let openTenant: Record<string, unknown>;
const OPEN = 'open.example';
const CLOSED = 'closed.example';

beforeAll(async () => {
  shard = await startAccountsShard();
  openTenant = await shard.createTenant({ server_name: OPEN, registration: 'open' });
  await shard.createTenant({ server_name: CLOSED, registration: 'closed' });
});
afterAll(async () => shard?.close());

describe('the m.login.dummy flow', () => {
  test('a request without auth gets 401 with flows, params and a session', async () => {
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'flowcheck', password: PASSWORD } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ flows: [{ stages: ['m.login.dummy'] }], params: {}, session: expect.any(String) });
  });

  test('completing the dummy stage registers and logs in', async () => {
    const first = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'Alice', password: PASSWORD } });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, {
      body: { username: 'Alice', password: PASSWORD, initial_device_display_name: 'Jungle Phone', auth: { type: 'm.login.dummy', session } },
    });
    expect(res.status).toBe(200);
    const body = res.body as Record<string, unknown>;
    // The username is mapped to lower case.
    expect(body).toMatchObject({ user_id: '@alice:open.example', home_server: OPEN });
    expect(body.access_token).toMatch(/^tsat_/);
    expect(body.device_id).toMatch(/^[A-Z]{10}$/);
    expect(body).not.toHaveProperty('refresh_token');
    expect(body).not.toHaveProperty('expires_in_ms');
    const me = await whoami(shard, OPEN, body.access_token as string);
    expect(me.body).toEqual({ user_id: '@alice:open.example', device_id: body.device_id, is_guest: false });
    const devices = await call(shard, OPEN, 'GET', `${CS}/devices`, { token: body.access_token as string });
    expect((devices.body as { devices: unknown[] }).devices).toEqual([
      expect.objectContaining({ device_id: body.device_id, display_name: 'Jungle Phone' }),
    ]);
  });

  test('the dummy stage without a session starts one and completes at once', async () => {
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'nosession', password: PASSWORD, auth: { type: 'm.login.dummy' } } });
    expect(res.status).toBe(200);
  });

  test('a completed session cannot register a second account', async () => {
    const first = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'once1', password: PASSWORD } });
    const session = (first.body as { session: string }).session;
    const auth = { type: 'm.login.dummy', session };
    expect((await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'once1', password: PASSWORD, auth } })).status).toBe(200);
    const again = await callRaw(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'once2', password: PASSWORD, auth } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ errcode: 'M_UNKNOWN' });
  });

  test('an unknown session is 400', async () => {
    const res = await callRaw(shard, OPEN, 'POST', `${CS}/register`, {
      body: { username: 'ghost', password: PASSWORD, auth: { type: 'm.login.dummy', session: 'nope' } },
    });
    expect(res.status).toBe(400);
    await expectSpecSchema('client-server', 'definitions/errors/error.yaml', res.body);
  });

  test('a stage that is not offered is refused in the 401 body', async () => {
    const first = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'wrongstage', password: PASSWORD } });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, {
      body: { username: 'wrongstage', password: PASSWORD, auth: { type: 'm.login.registration_token', token: 'x', session } },
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN', session, flows: [{ stages: ['m.login.dummy'] }] });
  });

  test('without a username the server picks a valid localpart', async () => {
    const first = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { password: PASSWORD } });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { password: PASSWORD, auth: { type: 'm.login.dummy', session } } });
    expect(res.status).toBe(200);
    expect((res.body as { user_id: string }).user_id).toMatch(/^@[a-z0-9]+:open\.example$/);
  });

  test('a missing password after auth is 400 M_MISSING_PARAM and the session survives', async () => {
    const first = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'nopass' } });
    const session = (first.body as { session: string }).session;
    const auth = { type: 'm.login.dummy', session };
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'nopass', auth } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
    const retry = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'nopass', password: PASSWORD, auth } });
    expect(retry.status).toBe(200);
  });
});

describe('usernames', () => {
  test.each([
    ['with a space', 'bad name'],
    ['with a colon', 'bad:name'],
    ['as a user ID', '@bad:open.example'],
    ['with non-ASCII', 'bäd'],
    ['empty', ''],
    ['too long for 255 bytes', 'a'.repeat(250)],
  ])('%s is M_INVALID_USERNAME before any auth', async (_name, username) => {
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username, password: PASSWORD } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_USERNAME' });
  });

  test('the longest allowed localpart is accepted', async () => {
    const localpart = 'l'.repeat(255 - '@:open.example'.length);
    const reg = await registerUser(shard, OPEN, localpart);
    expect(reg.user_id).toBe(`@${localpart}:open.example`);
  });

  test('all grammar characters are accepted', async () => {
    const reg = await registerUser(shard, OPEN, 'a.b_c=d-e/f+g9');
    expect(reg.user_id).toBe('@a.b_c=d-e/f+g9:open.example');
  });

  test('a taken username is M_USER_IN_USE, also in other case, before any auth', async () => {
    await registerUser(shard, OPEN, 'taken');
    for (const username of ['taken', 'TAKEN']) {
      const res = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username, password: PASSWORD } });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errcode: 'M_USER_IN_USE' });
    }
  });

  test('GET /register/available', async () => {
    await registerUser(shard, OPEN, 'present');
    const free = await call(shard, OPEN, 'GET', `${CS}/register/available?username=absent`);
    expect(free.status).toBe(200);
    expect(free.body).toEqual({ available: true });
    const taken = await call(shard, OPEN, 'GET', `${CS}/register/available?username=Present`);
    expect(taken.status).toBe(400);
    expect(taken.body).toMatchObject({ errcode: 'M_USER_IN_USE' });
    const invalid = await call(shard, OPEN, 'GET', `${CS}/register/available?username=no%20spaces`);
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ errcode: 'M_INVALID_USERNAME' });
    const missing = await call(shard, OPEN, 'GET', `${CS}/register/available`);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
  });
});

describe('options', () => {
  test('inhibit_login creates the account without a device or token', async () => {
    const first = await call(shard, OPEN, 'POST', `${CS}/register`, { body: { username: 'inhibited', password: PASSWORD, inhibit_login: true } });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, {
      body: { username: 'inhibited', password: PASSWORD, inhibit_login: true, auth: { type: 'm.login.dummy', session } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: '@inhibited:open.example', home_server: OPEN });
    const devices = await tenantDb(shard, openTenant).selectFrom('devices').selectAll().where('user_id', '=', '@inhibited:open.example').execute();
    expect(devices).toEqual([]);
    // The account works: the password logs in.
    await loginUser(shard, OPEN, 'inhibited');
  });

  test('a client-chosen device_id is used', async () => {
    const reg = await registerUser(shard, OPEN, 'chooser', { device_id: 'MYDEVICE' });
    expect(reg.device_id).toBe('MYDEVICE');
  });

  test('refresh_token: true returns a refresh token and an expiring access token', async () => {
    const reg = await registerUser(shard, OPEN, 'refresher', { refresh_token: true });
    expect(reg.refresh_token).toMatch(/^tsrt_/);
    expect(reg.expires_in_ms).toBe(300_000);
  });

  test('the stored password is a self-describing scrypt hash', async () => {
    await registerUser(shard, OPEN, 'hashed');
    const row = await tenantDb(shard, openTenant).selectFrom('users').select('password_hash').where('user_id', '=', '@hashed:open.example').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });
});

describe('refusals', () => {
  test('a closed tenant answers 403 M_FORBIDDEN', async () => {
    const res = await call(shard, CLOSED, 'POST', `${CS}/register`, { body: { username: 'x', password: PASSWORD } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    const available = await callRaw(shard, CLOSED, 'GET', `${CS}/register/available?username=x`);
    expect(available.status).toBe(403);
    await expectSpecSchema('client-server', 'definitions/errors/error.yaml', available.body);
  });

  test('guest registration is 403 M_GUEST_ACCESS_FORBIDDEN', async () => {
    const res = await call(shard, OPEN, 'POST', `${CS}/register?kind=guest`, { body: {} });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_GUEST_ACCESS_FORBIDDEN' });
  });

  test('an unknown kind is 400 M_INVALID_PARAM', async () => {
    const res = await call(shard, OPEN, 'POST', `${CS}/register?kind=robot`, { body: {} });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_PARAM' });
  });

  test.each([
    ['no body', { rawBody: undefined }, 'M_NOT_JSON'],
    ['malformed JSON', { rawBody: '{"username": ' }, 'M_NOT_JSON'],
    ['an array', { body: [] }, 'M_BAD_JSON'],
    ['a numeric username', { body: { username: 5 } }, 'M_BAD_JSON'],
    ['a numeric password', { body: { username: 'typed', password: 5 } }, 'M_BAD_JSON'],
    ['a string inhibit_login', { body: { inhibit_login: 'yes' } }, 'M_BAD_JSON'],
    ['an empty device_id', { body: { device_id: '' } }, 'M_INVALID_PARAM'],
    ['auth that is not an object', { body: { username: 'authy', password: PASSWORD, auth: 'dummy' } }, 'M_BAD_JSON'],
    ['an empty password', { body: { username: 'weak', password: '' } }, 'M_WEAK_PASSWORD'],
  ])('%s is 400 %s', async (_name, options, errcode) => {
    const res = await call(shard, OPEN, 'POST', `${CS}/register`, options);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });
});
