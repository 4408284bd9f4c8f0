// Access tokens: how they are presented and stored, refresh with rotation, soft logout,
// logout and logout/all, and the device's last-seen columns.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectSpecSchema } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, PASSWORD, call, callRaw, loginUser, registerUser, startAccountsShard, tenantDb, whoami } from './helpers.ts';

let shard: TestShard;
let tenant: Record<string, unknown>;
const HS = 'tokens.example';

beforeAll(async () => {
  shard = await startAccountsShard();
  tenant = await shard.createTenant({ server_name: HS, registration: 'open' });
});
afterAll(async () => shard?.close());

describe('presenting tokens', () => {
  test('the Authorization header and the deprecated access_token query parameter both work', async () => {
    const reg = await registerUser(shard, HS, 'presenter');
    expect((await whoami(shard, HS, reg.access_token)).status).toBe(200);
    const viaQuery = await call(shard, HS, 'GET', `${CS}/account/whoami?access_token=${reg.access_token}`);
    expect(viaQuery.status).toBe(200);
    expect(viaQuery.body).toMatchObject({ user_id: '@presenter:tokens.example' });
  });

  test('no token is 401 M_MISSING_TOKEN', async () => {
    const res = await call(shard, HS, 'GET', `${CS}/account/whoami`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    const otherScheme = await call(shard, HS, 'GET', `${CS}/account/whoami`, { headers: { authorization: 'Basic Ym9iOnB3' } });
    expect(otherScheme.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });

  test.each([
    ['garbage', 'not-a-token'],
    ['a well-formed unknown token', `tsat_${'A'.repeat(43)}`],
    ['a refresh token', `tsrt_${'A'.repeat(43)}`],
  ])('%s is 401 M_UNKNOWN_TOKEN without soft_logout', async (_name, token) => {
    const res = await whoami(shard, HS, token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    expect(res.body).not.toHaveProperty('soft_logout');
  });
});

describe('deactivated users', () => {
  test('a token of a deactivated user is M_UNKNOWN_TOKEN even if it was left behind', async () => {
    const reg = await registerUser(shard, HS, 'ghost');
    await tenantDb(shard, tenant).updateTable('users').set({ deactivated: true }).where('user_id', '=', '@ghost:tokens.example').execute();
    const res = await whoami(shard, HS, reg.access_token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    expect(res.body).not.toHaveProperty('soft_logout');
  });
});

describe('storage', () => {
  test('the database holds token hashes, never tokens', async () => {
    const reg = await registerUser(shard, HS, 'stored', { refresh_token: true });
    const db = tenantDb(shard, tenant);
    const [access, refresh] = await Promise.all([
      db.selectFrom('access_tokens').selectAll().where('user_id', '=', '@stored:tokens.example').execute(),
      db.selectFrom('refresh_tokens').selectAll().where('user_id', '=', '@stored:tokens.example').execute(),
    ]);
    expect(access).toHaveLength(1);
    expect(refresh).toHaveLength(1);
    const { createHash } = await import('node:crypto');
    expect(Buffer.from(access[0]!.token_hash).equals(createHash('sha256').update(reg.access_token).digest())).toBe(true);
    expect(Buffer.from(refresh[0]!.token_hash).equals(createHash('sha256').update(reg.refresh_token as string).digest())).toBe(true);
    // Nothing anywhere in the account tables contains either token (or the password).
    const tables = ['access_tokens', 'refresh_tokens', 'devices', 'users', 'uia_sessions', 'login_tokens'] as const;
    const rows = await Promise.all(tables.map((table) => db.selectFrom(table).selectAll().execute()));
    const text = JSON.stringify(rows, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : value));
    expect(text).not.toContain(reg.access_token);
    expect(text).not.toContain((reg.access_token).slice(5));
    expect(text).not.toContain(reg.refresh_token as string);
    expect(text).not.toContain(PASSWORD);
  });
});

describe('refresh', () => {
  async function refresh(refreshToken: string) {
    return call(shard, HS, 'POST', `${CS}/refresh`, { body: { refresh_token: refreshToken } });
  }

  test('rotates: new tokens work, the old refresh token stays usable until the new ones are used', async () => {
    const reg = await registerUser(shard, HS, 'rotor', { refresh_token: true });
    const r1 = await refresh(reg.refresh_token as string);
    expect(r1.status).toBe(200);
    const first = r1.body as { access_token: string; refresh_token: string; expires_in_ms: number };
    expect(first.expires_in_ms).toBe(300_000);
    expect(first.refresh_token).not.toBe(reg.refresh_token);

    // The client "lost" the answer: the old refresh token still works and supersedes it.
    const r2 = await refresh(reg.refresh_token as string);
    expect(r2.status).toBe(200);
    const second = r2.body as { access_token: string; refresh_token: string };
    expect((await whoami(shard, HS, first.access_token)).status).toBe(401);
    expect((await refresh(first.refresh_token)).status).toBe(401);

    // The old access token works until the new one is used…
    expect((await whoami(shard, HS, reg.access_token)).status).toBe(200);
    const me = await whoami(shard, HS, second.access_token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user_id: '@rotor:tokens.example', device_id: reg.device_id });
    // …then the old access and refresh tokens are gone.
    const old = await whoami(shard, HS, reg.access_token);
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    const oldRefresh = await refresh(reg.refresh_token as string);
    expect(oldRefresh.status).toBe(401);
    expect(oldRefresh.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });

  test('using the new refresh token also retires the old one', async () => {
    const reg = await registerUser(shard, HS, 'chain', { refresh_token: true });
    const a = (await refresh(reg.refresh_token as string)).body as { refresh_token: string };
    const b = await refresh(a.refresh_token);
    expect(b.status).toBe(200);
    expect((await refresh(reg.refresh_token as string)).status).toBe(401);
    expect((await whoami(shard, HS, reg.access_token)).status).toBe(401);
  });

  test('refresh keeps the device', async () => {
    const reg = await loginUserWithRefresh('keeper');
    const next = (await refresh(reg.refresh_token as string)).body as { access_token: string };
    const devices = await call(shard, HS, 'GET', `${CS}/devices`, { token: next.access_token });
    expect((devices.body as { devices: { device_id: string }[] }).devices.map((d) => d.device_id)).toContain(reg.device_id);
  });

  async function loginUserWithRefresh(name: string) {
    await registerUser(shard, HS, name);
    return loginUser(shard, HS, name, { refresh_token: true });
  }

  test('errors: unknown token 401, missing 400, wrong type 400', async () => {
    const unknown = await refresh(`tsrt_${'B'.repeat(43)}`);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    const missing = await callRaw(shard, HS, 'POST', `${CS}/refresh`, { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
    const wrongType = await callRaw(shard, HS, 'POST', `${CS}/refresh`, { body: { refresh_token: 1 } });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body).toMatchObject({ errcode: 'M_BAD_JSON' });
  });
});

describe('soft logout', () => {
  test('an expired refreshable access token is M_UNKNOWN_TOKEN with soft_logout: true; refresh recovers', async () => {
    const reg = await registerUser(shard, HS, 'sleepy', { refresh_token: true });
    await tenantDb(shard, tenant).updateTable('access_tokens').set({ expires_ts: Date.now() - 1000 }).where('user_id', '=', '@sleepy:tokens.example').execute();
    const res = await whoami(shard, HS, reg.access_token);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: true });
    // Also from the cache on the second try.
    expect((await whoami(shard, HS, reg.access_token)).body).toMatchObject({ soft_logout: true });
    const refreshed = await call(shard, HS, 'POST', `${CS}/refresh`, { body: { refresh_token: reg.refresh_token } });
    expect(refreshed.status).toBe(200);
    const me = await whoami(shard, HS, (refreshed.body as { access_token: string }).access_token);
    expect(me.body).toMatchObject({ device_id: reg.device_id });
  });

  test('a token that expires while cached turns into soft logout', async () => {
    const reg = await registerUser(shard, HS, 'cached', { refresh_token: true });
    expect((await whoami(shard, HS, reg.access_token)).status).toBe(200);
    // Expire it in the database and in this shard's cache entry (as time passing would).
    const loaded = shard.tenants.loaded((tenant.schema as string).slice('t_'.length));
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update(reg.access_token).digest('base64');
    const entry = loaded?.caches.accessTokens?.get(key, Date.now())?.entry;
    expect(entry).toBeDefined();
    entry!.expiresTs = Date.now() - 1;
    const res = await whoami(shard, HS, reg.access_token);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN', soft_logout: true });
  });
});

describe('logout', () => {
  test('POST /logout invalidates the token and deletes the device', async () => {
    await registerUser(shard, HS, 'leaver');
    const a = await loginUser(shard, HS, 'leaver');
    const b = await loginUser(shard, HS, 'leaver');
    expect((await whoami(shard, HS, a.access_token)).status).toBe(200);
    const res = await call(shard, HS, 'POST', `${CS}/logout`, { token: a.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const after = await whoami(shard, HS, a.access_token);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
    expect(after.body).not.toHaveProperty('soft_logout');
    const devices = (await call(shard, HS, 'GET', `${CS}/devices`, { token: b.access_token })).body as { devices: { device_id: string }[] };
    expect(devices.devices.map((d) => d.device_id)).not.toContain(a.device_id);
    expect(devices.devices.map((d) => d.device_id)).toContain(b.device_id);
  });

  test('POST /logout with a JSON body and the refresh token dies too', async () => {
    await registerUser(shard, HS, 'leaver2');
    const a = await loginUser(shard, HS, 'leaver2', { refresh_token: true });
    expect((await call(shard, HS, 'POST', `${CS}/logout`, { token: a.access_token, body: {} })).status).toBe(200);
    const refreshed = await callRaw(shard, HS, 'POST', `${CS}/refresh`, { body: { refresh_token: a.refresh_token } });
    expect(refreshed.status).toBe(401);
  });

  test('POST /logout/all invalidates every token of the user', async () => {
    const reg = await registerUser(shard, HS, 'everywhere');
    const other = await loginUser(shard, HS, 'everywhere');
    const bystander = await registerUser(shard, HS, 'bystander');
    expect((await whoami(shard, HS, other.access_token)).status).toBe(200);
    const res = await call(shard, HS, 'POST', `${CS}/logout/all`, { token: reg.access_token });
    expect(res.status).toBe(200);
    expect((await whoami(shard, HS, reg.access_token)).status).toBe(401);
    expect((await whoami(shard, HS, other.access_token)).status).toBe(401);
    expect((await whoami(shard, HS, bystander.access_token)).status).toBe(200);
    const devices = await tenantDb(shard, tenant).selectFrom('devices').select('device_id').where('user_id', '=', '@everywhere:tokens.example').execute();
    expect(devices).toEqual([]);
  });

  test('logout needs a token', async () => {
    // The spec lists no 401 for these endpoints; the body is still a standard error.
    const res = await callRaw(shard, HS, 'POST', `${CS}/logout`);
    expect(res.status).toBe(401);
    await expectSpecSchema('client-server', 'definitions/errors/error.yaml', res.body);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
    const all = await callRaw(shard, HS, 'POST', `${CS}/logout/all`, { token: 'bogus' });
    expect(all.status).toBe(401);
    expect(all.body).toMatchObject({ errcode: 'M_UNKNOWN_TOKEN' });
  });
});

describe('last seen', () => {
  test('is recorded from the client address, at most once a minute per token', async () => {
    const reg = await registerUser(shard, HS, 'seen');
    await call(shard, HS, 'GET', `${CS}/account/whoami`, { token: reg.access_token, headers: { 'x-forwarded-for': '203.0.113.7' } });
    const db = tenantDb(shard, tenant);
    const read = async () =>
      db.selectFrom('devices').select(['last_seen_ts', 'last_seen_ip']).where('device_id', '=', reg.device_id).executeTakeFirstOrThrow();
    await expect.poll(async () => (await read()).last_seen_ip).toBe('203.0.113.7');
    const first = await read();
    expect(Number(first.last_seen_ts)).toBeGreaterThan(Date.now() - 60_000);
    await call(shard, HS, 'GET', `${CS}/account/whoami`, { token: reg.access_token, headers: { 'x-forwarded-for': '198.51.100.1' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(await read()).toEqual(first);
    const device = await call(shard, HS, 'GET', `${CS}/devices/${reg.device_id}`, { token: reg.access_token });
    expect(device.body).toMatchObject({ last_seen_ip: '203.0.113.7', last_seen_ts: Number(first.last_seen_ts) });
  });
});
