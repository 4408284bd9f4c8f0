// Rate limiting: password brute force per account and per address, per-user buckets of the
// client API, registration per address, and the token bucket itself.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../../src/config/rate-limits.ts';
import { RateLimiter } from '../../../src/services/rate-limit/rate-limiter.ts';
import { BoundedMap } from '../../../src/tenancy/bounded-map.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, NO_RATE_LIMITS, PASSWORD, call, passwordAuth, registerUser as registerFrom, startAccountsShard, whoami, type Registered } from './helpers.ts';

const SLOW = 0.001;
let shard: TestShard;
const HS = 'limited.example';
const HS2 = 'limited-two.example';

beforeAll(async () => {
  shard = await startAccountsShard({
    rateLimits: {
      ...NO_RATE_LIMITS,
      client: { burst: 5, perSecond: SLOW },
      loginFailuresPerUser: { burst: 3, perSecond: SLOW },
      loginFailuresPerIp: { burst: 6, perSecond: SLOW },
      register: { burst: 4, perSecond: SLOW },
    },
  });
  await shard.createTenant({ server_name: HS, registration: 'open' });
  await shard.createTenant({ server_name: HS2, registration: 'open' });
});
afterAll(async () => shard?.close());

let nextAddress = 0;

/** Registers from a fresh address each time, so registrations do not drain the register bucket. */
function registerUser(target: TestShard, serverName: string, username: string, extra: Record<string, unknown> = {}): Promise<Registered> {
  nextAddress++;
  return registerFrom(target, serverName, username, extra, { 'x-forwarded-for': `172.16.${nextAddress >> 8}.${nextAddress & 255}` });
}

function loginAttempt(user: string, password: string, ip: string, serverName = HS) {
  return call(shard, serverName, 'POST', `${CS}/login`, {
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password },
    headers: { 'x-forwarded-for': ip },
  });
}

function expectLimited(res: { status: number; body: unknown; headers: Record<string, unknown> }): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED', retry_after_ms: expect.any(Number) });
  const retryAfterMs = (res.body as { retry_after_ms: number }).retry_after_ms;
  expect(retryAfterMs).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBe(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

describe('password guessing', () => {
  test('per account: after 3 failures even the right password waits', async () => {
    await registerUser(shard, HS, 'target', {});
    for (let i = 0; i < 3; i++) expect((await loginAttempt('target', 'guess', `192.0.2.${i + 1}`)).status).toBe(403);
    expectLimited(await loginAttempt('target', 'guess', '192.0.2.50'));
    expectLimited(await loginAttempt('target', PASSWORD, '192.0.2.51'));
    // Other accounts are not affected.
    await registerUser(shard, HS, 'neighbour');
    expect((await loginAttempt('neighbour', PASSWORD, '192.0.2.52')).status).toBe(200);
  });

  test('per address: failures against many accounts from one address', async () => {
    const ip = '198.51.100.9';
    for (let i = 0; i < 6; i++) expect((await loginAttempt(`someone${i}`, 'guess', ip)).status).toBe(403);
    expectLimited(await loginAttempt('someone-else', 'guess', ip));
    // The same account from another address is fine.
    await registerUser(shard, HS, 'fromelsewhere');
    expect((await loginAttempt('fromelsewhere', PASSWORD, '198.51.100.10')).status).toBe(200);
    expectLimited(await loginAttempt('fromelsewhere', PASSWORD, ip));
  });

  test('failures in the UIA password stage count too', async () => {
    const user = await registerUser(shard, HS, 'uiaguessed');
    const first = await call(shard, HS, 'POST', `${CS}/account/password`, { body: { new_password: 'x' }, token: user.access_token });
    const session = (first.body as { session: string }).session;
    for (let i = 0; i < 3; i++) {
      const res = await call(shard, HS, 'POST', `${CS}/account/password`, {
        body: { new_password: 'x', auth: passwordAuth(session, 'uiaguessed', 'guess') },
        token: user.access_token,
        headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
      });
      expect(res.status).toBe(401);
    }
    expectLimited(await loginAttempt('uiaguessed', PASSWORD, '203.0.113.99'));
  });

  test('buckets are per tenant: the same localpart elsewhere is unaffected', async () => {
    await registerUser(shard, HS, 'twin');
    await registerUser(shard, HS2, 'twin');
    for (let i = 0; i < 3; i++) await loginAttempt('twin', 'guess', `192.0.2.${100 + i}`);
    expectLimited(await loginAttempt('twin', PASSWORD, '192.0.2.110'));
    expect((await loginAttempt('twin', PASSWORD, '192.0.2.111', HS2)).status).toBe(200);
  });
});

describe('client API', () => {
  test('per user: the sixth request within the burst is 429, other users unaffected', async () => {
    const a = await registerUser(shard, HS, 'busy');
    const b = await registerUser(shard, HS, 'calm');
    for (let i = 0; i < 5; i++) expect((await whoami(shard, HS, a.access_token)).status).toBe(200);
    expectLimited(await whoami(shard, HS, a.access_token));
    expect((await whoami(shard, HS, b.access_token)).status).toBe(200);
  });

  test("a tenant's rate_limits setting overrides the shard's limits; null restores them", async () => {
    const tenantPath = `/_tessera/admin/v1/tenants/${HS2}`;
    const set = await shard.admin('PATCH', tenantPath, { rate_limits: { client: { burst: 2, perSecond: SLOW } } });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ rate_limits: { client: { burst: 2, perSecond: SLOW } } });
    const user = await registerUser(shard, HS2, 'strict');
    for (let i = 0; i < 2; i++) expect((await whoami(shard, HS2, user.access_token)).status).toBe(200);
    expectLimited(await whoami(shard, HS2, user.access_token));
    // The other tenant keeps the shard's burst of 5.
    const other = await registerUser(shard, HS, 'relaxed');
    for (let i = 0; i < 5; i++) expect((await whoami(shard, HS, other.access_token)).status).toBe(200);

    const reset = await shard.admin('PATCH', tenantPath, { rate_limits: null });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ rate_limits: {} });
    const fresh = await registerUser(shard, HS2, 'fresh');
    for (let i = 0; i < 5; i++) expect((await whoami(shard, HS2, fresh.access_token)).status).toBe(200);
    expectLimited(await whoami(shard, HS2, fresh.access_token));
  });

  test('registration per address', async () => {
    const ip = '100.64.0.1';
    for (let i = 0; i < 4; i++) {
      const res = await call(shard, HS, 'POST', `${CS}/register`, { body: {}, headers: { 'x-forwarded-for': ip } });
      expect(res.status).toBe(401);
    }
    expectLimited(await call(shard, HS, 'POST', `${CS}/register`, { body: {}, headers: { 'x-forwarded-for': ip } }));
    expect((await call(shard, HS, 'POST', `${CS}/register`, { body: {}, headers: { 'x-forwarded-for': '100.64.0.2' } })).status).toBe(401);
  });
});

describe('defaults', () => {
  test('brute force protection is on by default', async () => {
    const defaults = await startAccountsShard({ rateLimits: undefined });
    try {
      await defaults.createTenant({ server_name: 'defaults.example', registration: 'open' });
      await registerUser(defaults, 'defaults.example', 'victim');
      const attempt = (i: number) =>
        call(defaults, 'defaults.example', 'POST', `${CS}/login`, {
          body: { type: 'm.login.password', user: 'victim', password: 'guess' },
          headers: { 'x-forwarded-for': `10.0.0.${i}` },
        });
      for (let i = 0; i < DEFAULT_RATE_LIMITS.loginFailuresPerUser.burst; i++) expect((await attempt(i)).status).toBe(403);
      expectLimited(await attempt(200));
    } finally {
      await defaults.close();
    }
  });
});

describe('token buckets', () => {
  const settings = { ...DEFAULT_RATE_LIMITS, client: { burst: 2, perSecond: 1 }, maxKeysPerTenant: 2 };

  test('refill at the configured rate and report the wait', () => {
    const limiter = new RateLimiter(settings);
    limiter.take('client', 'u', 0);
    limiter.take('client', 'u', 0);
    expect(limiter.wait('client', 'u', 0)).toBe(1000);
    expect(() => limiter.take('client', 'u', 500)).toThrow(expect.objectContaining({ errcode: 'M_LIMIT_EXCEEDED' }));
    expect(limiter.wait('client', 'u', 500)).toBe(500);
    expect(() => limiter.take('client', 'u', 1000)).not.toThrow();
    // Refill never exceeds the burst.
    expect(limiter.wait('client', 'u', 1_000_000)).toBe(0);
    limiter.take('client', 'u', 1_000_000);
    limiter.take('client', 'u', 1_000_000);
    expect(limiter.wait('client', 'u', 1_000_000)).toBeGreaterThan(0);
  });

  test('are bounded per tenant, forgetting the least recently used', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(1);
    expect(map.size).toBe(2);
    const limiter = new RateLimiter(settings);
    for (const subject of ['x', 'y', 'z']) {
      limiter.take('client', subject, 0);
      limiter.take('client', subject, 0);
    }
    // x was forgotten (a fresh bucket), z is still empty.
    expect(limiter.wait('client', 'x', 0)).toBe(0);
    expect(limiter.wait('client', 'z', 0)).toBeGreaterThan(0);
  });
});
