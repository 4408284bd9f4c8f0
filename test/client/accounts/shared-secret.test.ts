// Synapse-compatible shared-secret registration and the operator's view of the secret.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, callRaw, loginUser, startAccountsShard, tenantDb, whoami } from './helpers.ts';

let shard: TestShard;
let tenant: Record<string, unknown>;
const HS = 'provisioned.example';
const OTHER = 'other-provisioned.example';
const REGISTER = '/_synapse/admin/v1/register';

beforeAll(async () => {
  shard = await startAccountsShard();
  // Registration is closed: shared-secret registration is the operator's way in regardless.
  tenant = await shard.createTenant({ server_name: HS });
  await shard.createTenant({ server_name: OTHER });
});
afterAll(async () => shard?.close());

async function secretOf(serverName: string): Promise<string> {
  const res = await shard.admin('GET', `/_tessera/admin/v1/tenants/${serverName}/registration-shared-secret`);
  expect(res.status).toBe(200);
  return (res.body as { registration_shared_secret: string }).registration_shared_secret;
}

async function nonce(serverName = HS): Promise<string> {
  const res = await callRaw(shard, serverName, 'GET', REGISTER);
  expect(res.status).toBe(200);
  return (res.body as { nonce: string }).nonce;
}

/** The MAC as Synapse's documentation describes it (written independently of the server code). */
function mac(secret: string, fields: { nonce: string; username: string; password: string; admin: boolean; user_type?: string }): string {
  const parts = [fields.nonce, fields.username, fields.password, fields.admin ? 'admin' : 'notadmin'];
  if (fields.user_type !== undefined) parts.push(fields.user_type);
  const hmac = createHmac('sha1', secret);
  parts.forEach((part, i) => {
    if (i > 0) hmac.update(Buffer.from([0]));
    hmac.update(part, 'utf8');
  });
  return hmac.digest('hex');
}

describe('the secret', () => {
  test('is generated once per tenant and stays the same', async () => {
    const a = await secretOf(HS);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(await secretOf(HS)).toBe(a);
    expect(await secretOf(OTHER)).not.toBe(a);
    const row = await tenantDb(shard, tenant).selectFrom('server_secrets').selectAll().executeTakeFirstOrThrow();
    expect(row.name).toBe('registration_shared_secret');
  });

  test('an unknown tenant is 404', async () => {
    const res = await shard.admin('GET', '/_tessera/admin/v1/tenants/nowhere.example/registration-shared-secret');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
  });
});

describe('registration', () => {
  test('a correct MAC registers an admin and logs in', async () => {
    const secret = await secretOf(HS);
    const fields = { nonce: await nonce(), username: 'Pepper_Roni', password: 'pizza', admin: true };
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, displayname: 'Pepper Roni', mac: mac(secret, fields) } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ user_id: '@pepper_roni:provisioned.example', home_server: HS, device_id: expect.any(String) });
    const token = (res.body as { access_token: string }).access_token;
    expect((await whoami(shard, HS, token)).body).toMatchObject({ user_id: '@pepper_roni:provisioned.example' });
    const user = await tenantDb(shard, tenant).selectFrom('users').selectAll().where('user_id', '=', '@pepper_roni:provisioned.example').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ admin: true, displayname: 'Pepper Roni' });
    // The password works for a normal login.
    const login = await callRaw(shard, HS, 'POST', `${CS}/login`, { body: { type: 'm.login.password', user: 'pepper_roni', password: 'pizza' } });
    expect(login.status).toBe(200);
  });

  test('non-admins and user_type are covered by the MAC', async () => {
    const secret = await secretOf(HS);
    const fields = { nonce: await nonce(), username: 'plainuser', password: 'secret words', admin: false, user_type: 'support' };
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(secret, fields) } });
    expect(res.status, res.text).toBe(200);
    const user = await tenantDb(shard, tenant).selectFrom('users').selectAll().where('user_id', '=', '@plainuser:provisioned.example').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ admin: false, user_type: 'support' });
  });

  test('a wrong MAC is 403 and uses the nonce up', async () => {
    const secret = await secretOf(HS);
    const fields = { nonce: await nonce(), username: 'sneaky', password: 'pw', admin: false };
    // A MAC for admin: false does not authorise admin: true.
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, admin: true, mac: mac(secret, fields) } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    const retry = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(secret, fields) } });
    expect(retry.status).toBe(400);
    expect(retry.body).toMatchObject({ errcode: 'M_UNKNOWN' });
  });

  test('a MAC made with another tenant’s secret is refused', async () => {
    const otherSecret = await secretOf(OTHER);
    const fields = { nonce: await nonce(), username: 'crossover', password: 'pw', admin: false };
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(otherSecret, fields) } });
    expect(res.status).toBe(403);
  });

  test('a nonce works once', async () => {
    const secret = await secretOf(HS);
    const fields = { nonce: await nonce(), username: 'onceonly', password: 'pw', admin: false };
    expect((await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(secret, fields) } })).status).toBe(200);
    const again = { ...fields, username: 'twiceonly' };
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...again, mac: mac(secret, again) } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_UNKNOWN' });
  });

  test('a nonce of another tenant, an unknown nonce and an expired nonce are refused', async () => {
    const secret = await secretOf(HS);
    for (const n of [await nonce(OTHER), 'made-up-nonce']) {
      const fields = { nonce: n, username: 'nobody', password: 'pw', admin: false };
      const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(secret, fields) } });
      expect(res.status).toBe(400);
    }
    const expiring = await nonce();
    await tenantDb(shard, tenant).updateTable('shared_secret_nonces').set({ expires_ts: Date.now() - 1 }).where('nonce', '=', expiring).execute();
    const fields = { nonce: expiring, username: 'late', password: 'pw', admin: false };
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(secret, fields) } });
    expect(res.status).toBe(400);
  });

  test('a taken or invalid username is refused after the MAC checks out', async () => {
    const secret = await secretOf(HS);
    await loginOrRegister(secret, 'existing');
    const taken = { nonce: await nonce(), username: 'existing', password: 'pw', admin: false };
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...taken, mac: mac(secret, taken) } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_USER_IN_USE' });
    const invalid = { nonce: await nonce(), username: 'not valid', password: 'pw', admin: false };
    const bad = await callRaw(shard, HS, 'POST', REGISTER, { body: { ...invalid, mac: mac(secret, invalid) } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errcode: 'M_INVALID_USERNAME' });
  });

  test.each([
    ['no nonce', { username: 'a', password: 'b', mac: 'c' }, 'M_MISSING_PARAM'],
    ['no mac', { nonce: 'n', username: 'a', password: 'b' }, 'M_MISSING_PARAM'],
    ['a numeric admin flag', { nonce: 'n', username: 'a', password: 'b', mac: 'c', admin: 1 }, 'M_BAD_JSON'],
  ])('%s is 400 %s', async (_name, body, errcode) => {
    const res = await callRaw(shard, HS, 'POST', REGISTER, { body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });

  async function loginOrRegister(secret: string, username: string): Promise<void> {
    const fields = { nonce: await nonce(), username, password: 'correct horse battery staple', admin: false };
    expect((await callRaw(shard, HS, 'POST', REGISTER, { body: { ...fields, mac: mac(secret, fields) } })).status).toBe(200);
    await loginUser(shard, HS, username);
  }
});
