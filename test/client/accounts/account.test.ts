// POST /account/password and POST /account/deactivate, both behind the password stage.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectSpecSchema } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, PASSWORD, call, callRaw, loginUser, passwordAuth, registerUser, startAccountsShard, tenantDb, whoami, withPasswordUia } from './helpers.ts';

let shard: TestShard;
let tenant: Record<string, unknown>;
const HS = 'account.example';
const NEW_PASSWORD = 'a much better passphrase';
let counter = 0;

beforeAll(async () => {
  shard = await startAccountsShard();
  tenant = await shard.createTenant({ server_name: HS, registration: 'open' });
});
afterAll(async () => shard?.close());

async function loginWith(user: string, password: string) {
  return call(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password } });
}

describe('password change', () => {
  test('UIA step by step; other devices are logged out, the current one stays', async () => {
    const current = await registerUser(shard, HS, 'changer');
    const other = await loginUser(shard, HS, 'changer', { refresh_token: true });
    const first = await call(shard, HS, 'POST', `${CS}/account/password`, { body: { new_password: NEW_PASSWORD }, token: current.access_token });
    expect(first.status).toBe(401);
    expect(first.body).toEqual({ flows: [{ stages: ['m.login.password'] }], params: {}, session: expect.any(String) });
    const session = (first.body as { session: string }).session;

    const wrong = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: NEW_PASSWORD, auth: passwordAuth(session, 'changer', 'not it') },
      token: current.access_token,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ errcode: 'M_FORBIDDEN', error: expect.any(String), session });

    const done = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: NEW_PASSWORD, auth: passwordAuth(session, 'changer') },
      token: current.access_token,
    });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({});

    expect((await whoami(shard, HS, current.access_token)).status).toBe(200);
    expect((await whoami(shard, HS, other.access_token)).status).toBe(401);
    const refresh = await call(shard, HS, 'POST', `${CS}/refresh`, { body: { refresh_token: other.refresh_token } });
    expect(refresh.status).toBe(401);
    const devices = (await call(shard, HS, 'GET', `${CS}/devices`, { token: current.access_token })).body as { devices: { device_id: string }[] };
    expect(devices.devices.map((d) => d.device_id)).toEqual([current.device_id]);

    expect((await loginWith('changer', PASSWORD)).status).toBe(403);
    expect((await loginWith('changer', NEW_PASSWORD)).status).toBe(200);
  });

  test('logout_devices: false keeps the other devices', async () => {
    const current = await registerUser(shard, HS, 'keeper');
    const other = await loginUser(shard, HS, 'keeper');
    const res = await withPasswordUia(shard, HS, 'POST', `${CS}/account/password`, current.access_token, 'keeper', {
      new_password: NEW_PASSWORD,
      logout_devices: false,
    });
    expect(res.status).toBe(200);
    expect((await whoami(shard, HS, other.access_token)).status).toBe(200);
  });

  test('the password stage must authenticate the signed-in user', async () => {
    await registerUser(shard, HS, 'mallory');
    const victim = await registerUser(shard, HS, 'victim');
    const first = await call(shard, HS, 'POST', `${CS}/account/password`, { body: { new_password: 'x' }, token: victim.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: 'x', auth: passwordAuth(session, 'mallory') },
      token: victim.access_token,
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('an identifier of another server fails the stage (401), a malformed one is 400', async () => {
    const user = await registerUser(shard, HS, 'foreignid');
    const first = await call(shard, HS, 'POST', `${CS}/account/password`, { body: { new_password: 'x' }, token: user.access_token });
    const session = (first.body as { session: string }).session;
    const foreign = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: 'x', auth: { ...passwordAuth(session, '@foreignid:elsewhere.example') } },
      token: user.access_token,
    });
    expect(foreign.status).toBe(401);
    expect(foreign.body).toMatchObject({ errcode: 'M_FORBIDDEN', session });
    const malformed = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: 'x', auth: { type: 'm.login.password', session, identifier: { type: 'm.id.user', user: 'foreignid' }, password: 7 } },
      token: user.access_token,
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ errcode: 'M_BAD_JSON' });
  });

  test('a session started by one user cannot be used by another', async () => {
    const one = await registerUser(shard, HS, 'sessionone');
    const two = await registerUser(shard, HS, 'sessiontwo');
    const first = await call(shard, HS, 'POST', `${CS}/account/password`, { body: { new_password: 'x' }, token: one.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: 'x', auth: passwordAuth(session, 'sessiontwo') },
      token: two.access_token,
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('a session of another operation is refused', async () => {
    const user = await registerUser(shard, HS, 'crossop');
    const first = await call(shard, HS, 'POST', `${CS}/account/deactivate`, { body: {}, token: user.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: 'x', auth: passwordAuth(session, 'crossop') },
      token: user.access_token,
    });
    expect(res.status).toBe(403);
    expect((await whoami(shard, HS, user.access_token)).status).toBe(200);
  });

  test('a signed-in user may leave out the identifier', async () => {
    const user = await registerUser(shard, HS, 'terse');
    const first = await call(shard, HS, 'POST', `${CS}/account/password`, { body: { new_password: NEW_PASSWORD }, token: user.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'POST', `${CS}/account/password`, {
      body: { new_password: NEW_PASSWORD, auth: { type: 'm.login.password', session, password: PASSWORD } },
      token: user.access_token,
    });
    expect(res.status).toBe(200);
  });

  test.each([
    ['no new_password', {}, 'M_MISSING_PARAM'],
    ['a numeric new_password', { new_password: 5 }, 'M_BAD_JSON'],
    ['an empty new_password', { new_password: '' }, 'M_WEAK_PASSWORD'],
    ['a string logout_devices', { new_password: 'x', logout_devices: 'no' }, 'M_BAD_JSON'],
  ])('%s is 400 %s', async (_name, body, errcode) => {
    const user = await registerUser(shard, HS, `badpassword${++counter}`);
    const res = await call(shard, HS, 'POST', `${CS}/account/password`, { body, token: user.access_token });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });
});

describe('deactivation', () => {
  test('closes the account: tokens, devices and password gone, the ID stays taken', async () => {
    const reg = await registerUser(shard, HS, 'leaving', { refresh_token: true });
    const other = await loginUser(shard, HS, 'leaving');
    const res = await withPasswordUia(shard, HS, 'POST', `${CS}/account/deactivate`, reg.access_token, 'leaving', { erase: true });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id_server_unbind_result: 'success' });

    for (const token of [reg.access_token, other.access_token]) {
      const me = await whoami(shard, HS, token);
      expect(me.status).toBe(401);
      expect(me.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    }
    expect((await call(shard, HS, 'POST', `${CS}/refresh`, { body: { refresh_token: reg.refresh_token } })).status).toBe(401);
    const db = tenantDb(shard, tenant);
    const user = await db.selectFrom('users').selectAll().where('user_id', '=', '@leaving:account.example').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ deactivated: true, password_hash: null, displayname: null });
    expect(await db.selectFrom('devices').selectAll().where('user_id', '=', user.user_id).execute()).toEqual([]);
    expect(await db.selectFrom('access_tokens').selectAll().where('user_id', '=', user.user_id).execute()).toEqual([]);

    const login = await loginWith('leaving', PASSWORD);
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ errcode: 'M_USER_DEACTIVATED' });
    const again = await call(shard, HS, 'POST', `${CS}/register`, { body: { username: 'leaving', password: PASSWORD } });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ errcode: 'M_USER_IN_USE' });
  });

  test('a wrong password leaves the account alone', async () => {
    const reg = await registerUser(shard, HS, 'staying');
    const first = await call(shard, HS, 'POST', `${CS}/account/deactivate`, { body: {}, token: reg.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'POST', `${CS}/account/deactivate`, {
      body: { auth: passwordAuth(session, 'staying', 'guess') },
      token: reg.access_token,
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    expect((await whoami(shard, HS, reg.access_token)).status).toBe(200);
  });

  test('needs an access token and a JSON body', async () => {
    const reg = await registerUser(shard, HS, 'strict');
    // The spec's 401 here is the UIA response; a missing token is a standard error instead.
    const noToken = await callRaw(shard, HS, 'POST', `${CS}/account/deactivate`, { body: {} });
    expect(noToken.status).toBe(401);
    await expectSpecSchema('client-server', 'definitions/errors/error.yaml', noToken.body);
    expect(noToken.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    const badErase = await call(shard, HS, 'POST', `${CS}/account/deactivate`, { body: { erase: 'yes' }, token: reg.access_token });
    expect(badErase.status).toBe(400);
    expect(badErase.body).toMatchObject({ errcode: 'M_BAD_JSON' });
  });
});
