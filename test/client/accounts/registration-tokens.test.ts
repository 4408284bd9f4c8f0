// Registration mode "token": the m.login.registration_token flow, token validity, use
// counting (pending/completed), expiry, and the operator's token management API.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpResult } from '../../helpers/http.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, PASSWORD, call, startAccountsShard, tenantDb } from './helpers.ts';

let shard: TestShard;
let tenant: Record<string, unknown>;
const HS = 'tokenized.example';
const OPEN = 'open-tokens.example';
const VALIDITY = '/_matrix/client/v1/register/m.login.registration_token/validity';
const ADMIN = `/_tessera/admin/v1/tenants/${HS}/registration-tokens`;

beforeAll(async () => {
  shard = await startAccountsShard();
  tenant = await shard.createTenant({ server_name: HS, registration: 'token' });
  await shard.createTenant({ server_name: OPEN, registration: 'open' });
});
afterAll(async () => shard?.close());

async function createToken(body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await shard.admin('POST', ADMIN, body);
  expect(res.status, res.text).toBe(201);
  return res.body as Record<string, unknown>;
}

async function validity(token: string): Promise<HttpResult> {
  return call(shard, HS, 'GET', `${VALIDITY}?token=${encodeURIComponent(token)}`);
}

async function startRegistration(username: string): Promise<string> {
  const res = await call(shard, HS, 'POST', `${CS}/register`, { body: { username, password: PASSWORD } });
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ flows: [{ stages: ['m.login.registration_token'] }] });
  return (res.body as { session: string }).session;
}

async function submitToken(username: string, session: string, token: string): Promise<HttpResult> {
  return call(shard, HS, 'POST', `${CS}/register`, {
    body: { username, password: PASSWORD, auth: { type: 'm.login.registration_token', token, session } },
  });
}

describe('the m.login.registration_token flow', () => {
  test('a valid token registers; uses are counted', async () => {
    await createToken({ token: 'welcome-1', uses_allowed: 2 });
    expect((await validity('welcome-1')).body).toEqual({ valid: true });
    const session = await startRegistration('first');
    const res = await submitToken('first', session, 'welcome-1');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: '@first:tokenized.example' });
    const shown = await shard.admin('GET', `${ADMIN}/welcome-1`);
    expect(shown.body).toMatchObject({ token: 'welcome-1', uses_allowed: 2, pending: 0, completed: 1, valid: true });
  });

  test('pending uses count against uses_allowed until registration completes', async () => {
    await createToken({ token: 'single', uses_allowed: 1 });
    // Completing the token stage without a password reserves the token (pending).
    const session = await startRegistration('pendinguser');
    const half = await call(shard, HS, 'POST', `${CS}/register`, {
      body: { username: 'pendinguser', auth: { type: 'm.login.registration_token', token: 'single', session } },
    });
    expect(half.status).toBe(400);
    expect(half.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
    expect((await shard.admin('GET', `${ADMIN}/single`)).body).toMatchObject({ pending: 1, completed: 0, valid: false });
    expect((await validity('single')).body).toEqual({ valid: false });

    // Someone else cannot use it meanwhile.
    const other = await startRegistration('otheruser');
    const refused = await submitToken('otheruser', other, 'single');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ errcode: 'M_UNAUTHORIZED', session: other });
    expect(refused.body).not.toHaveProperty('completed');

    // The first client finishes with the same session: the stage is already completed.
    const done = await call(shard, HS, 'POST', `${CS}/register`, { body: { username: 'pendinguser', password: PASSWORD, auth: { session } } });
    expect(done.status).toBe(200);
    expect((await shard.admin('GET', `${ADMIN}/single`)).body).toMatchObject({ pending: 0, completed: 1, valid: false });
  });

  test('an exhausted, expired or unknown token is refused with M_UNAUTHORIZED in the 401 body', async () => {
    await createToken({ token: 'exhausted', uses_allowed: 0 });
    await createToken({ token: 'expiring', expiry_time: Date.now() + 60_000 });
    await tenantDb(shard, tenant).updateTable('registration_tokens').set({ expiry_time: Date.now() - 1 }).where('token', '=', 'expiring').execute();
    for (const token of ['exhausted', 'expiring', 'unknown-token', 'not a token!']) {
      const session = await startRegistration('refused');
      const res = await submitToken('refused', session, token);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ errcode: 'M_UNAUTHORIZED', flows: [{ stages: ['m.login.registration_token'] }] });
      expect((await validity(token)).body).toEqual({ valid: false });
    }
  });

  test('the dummy stage is not offered in token mode', async () => {
    const session = await startRegistration('dummyuser');
    const res = await call(shard, HS, 'POST', `${CS}/register`, { body: { username: 'dummyuser', password: PASSWORD, auth: { type: 'm.login.dummy', session } } });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('a missing token in the auth dict is 400', async () => {
    const session = await startRegistration('tokenless');
    const res = await call(shard, HS, 'POST', `${CS}/register`, {
      body: { username: 'tokenless', password: PASSWORD, auth: { type: 'm.login.registration_token', session } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
  });

  test('an abandoned session gives its reserved use back once it expires', async () => {
    await createToken({ token: 'abandoned', uses_allowed: 1 });
    const session = await startRegistration('abandoner');
    await call(shard, HS, 'POST', `${CS}/register`, { body: { username: 'abandoner', auth: { type: 'm.login.registration_token', token: 'abandoned', session } } });
    expect((await shard.admin('GET', `${ADMIN}/abandoned`)).body).toMatchObject({ pending: 1 });
    await tenantDb(shard, tenant).updateTable('uia_sessions').set({ expires_ts: Date.now() - 1 }).where('session_id', '=', session).execute();
    // Expired sessions are purged when the next session starts.
    await startRegistration('nextone');
    expect((await shard.admin('GET', `${ADMIN}/abandoned`)).body).toMatchObject({ pending: 0, valid: true });
  });
});

describe('validity endpoint', () => {
  test('needs the token parameter', async () => {
    const res = await call(shard, HS, 'GET', VALIDITY);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
  });

  test('is 403 where registration does not use tokens', async () => {
    const res = await call(shard, OPEN, 'GET', `${VALIDITY}?token=abc`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });
});

describe('admin API', () => {
  test('create with generated token of a chosen length, list, show, delete', async () => {
    const generated = await createToken({ length: 24, uses_allowed: 5 });
    expect(generated).toMatchObject({ uses_allowed: 5, pending: 0, completed: 0, expiry_time: null, valid: true });
    expect(generated.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const defaulted = await createToken({});
    expect(defaulted.token).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(defaulted.uses_allowed).toBeNull();

    const list = await shard.admin('GET', ADMIN);
    expect(list.status).toBe(200);
    const tokens = (list.body as { registration_tokens: { token: string }[] }).registration_tokens.map((t) => t.token);
    expect(tokens).toEqual(expect.arrayContaining([generated.token, defaulted.token]));
    const validOnly = (await shard.admin('GET', `${ADMIN}?valid=false`)).body as { registration_tokens: { valid: boolean }[] };
    expect(validOnly.registration_tokens.every((t) => !t.valid)).toBe(true);

    expect((await shard.admin('DELETE', `${ADMIN}/${generated.token as string}`)).status).toBe(200);
    expect((await shard.admin('GET', `${ADMIN}/${generated.token as string}`)).status).toBe(404);
    expect((await shard.admin('DELETE', `${ADMIN}/${generated.token as string}`)).status).toBe(404);
    expect((await validity(generated.token as string)).body).toEqual({ valid: false });
  });

  test.each([
    ['an invalid token', { token: 'has space' }, 400, 'M_INVALID_PARAM'],
    ['a token over 64 characters', { token: 'a'.repeat(65) }, 400, 'M_INVALID_PARAM'],
    ['negative uses', { uses_allowed: -1 }, 400, 'M_INVALID_PARAM'],
    ['fractional uses', { uses_allowed: 1.5 }, 400, 'M_INVALID_PARAM'],
    ['an expiry in the past', { expiry_time: 1000 }, 400, 'M_INVALID_PARAM'],
    ['length and token together', { token: 'abc', length: 3 }, 400, 'M_INVALID_PARAM'],
    ['length out of range', { length: 65 }, 400, 'M_INVALID_PARAM'],
    ['an unknown field', { colour: 'blue' }, 400, 'M_BAD_JSON'],
  ])('%s is %i %s', async (_name, body, status, errcode) => {
    const res = await shard.admin('POST', ADMIN, body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ errcode });
  });

  test('a duplicate token is 409; an unknown tenant 404; no admin token 401', async () => {
    await createToken({ token: 'dup' });
    const dup = await shard.admin('POST', ADMIN, { token: 'dup' });
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ errcode: 'TESSERA_REGISTRATION_TOKEN_EXISTS' });
    const unknown = await shard.admin('GET', '/_tessera/admin/v1/tenants/nowhere.example/registration-tokens');
    expect(unknown.status).toBe(404);
    const { callUrl } = await import('../../helpers/http.ts');
    const anonymous = await callUrl(`${shard.adminUrl}${ADMIN}`);
    expect(anonymous.status).toBe(401);
  });
});
