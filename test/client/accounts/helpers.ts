// Shared helpers of the account tests: a shard with cheap password hashing and generous
// rate limits (the rate-limit tests set their own), spec validation of every response, and
// the usual registration/login round trips over real HTTP.
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { ShardConfig } from '../../../src/config/config.ts';
import type { TenantDatabase } from '../../../src/db/schema-types.ts';
import { callTenant, type HttpResult } from '../../helpers/http.ts';
import { expectSpecConformance } from '../../helpers/openapi.ts';
import { NO_RATE_LIMITS } from '../../helpers/limits.ts';
import { startTestShard, type TestShard } from '../../helpers/shard.ts';

export { expectSpecConformance, NO_RATE_LIMITS };

export const PASSWORD = 'correct horse battery staple';
export const CS = '/_matrix/client/v3';

/** A shard for account tests: scrypt at N = 2^10 (the format is the same, only cheaper). */
export function startAccountsShard(overrides: Partial<ShardConfig> = {}): Promise<TestShard> {
  return startTestShard({
    accountSettings: { passwordHash: { logN: 10, r: 8, p: 1 } },
    rateLimits: NO_RATE_LIMITS,
    ...overrides,
  });
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
}

/** Calls a tenant and checks the response against the spec (client-server API). */
export async function call(shard: TestShard, serverName: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  const res = await callTenant(shard.url, serverName, path, { method, ...options });
  await expectSpecConformance(method, path, res.status, res.body);
  return res;
}

/** Calls a tenant without spec validation (non-spec endpoints, or statuses the spec does not list). */
export function callRaw(shard: TestShard, serverName: string, method: string, path: string, options: RequestOptions = {}): Promise<HttpResult> {
  return callTenant(shard.url, serverName, path, { method, ...options });
}

export interface Registered {
  user_id: string;
  access_token: string;
  device_id: string;
  refresh_token?: string;
  expires_in_ms?: number;
}

/** Registers through the m.login.dummy flow (tenant registration "open"). */
export async function registerUser(
  shard: TestShard,
  serverName: string,
  username: string,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Promise<Registered> {
  const body = { username, password: PASSWORD, ...extra };
  const first = await call(shard, serverName, 'POST', `${CS}/register`, { body, headers });
  expect(first.status, first.text).toBe(401);
  const session = (first.body as { session: string }).session;
  const res = await call(shard, serverName, 'POST', `${CS}/register`, { body: { ...body, auth: { type: 'm.login.dummy', session } }, headers });
  expect(res.status, res.text).toBe(200);
  return res.body as Registered;
}

export async function loginUser(shard: TestShard, serverName: string, user: string, extra: Record<string, unknown> = {}): Promise<Registered> {
  const res = await call(shard, serverName, 'POST', `${CS}/login`, {
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: PASSWORD, ...extra },
  });
  expect(res.status, res.text).toBe(200);
  return res.body as Registered;
}

/** The auth dict of the m.login.password stage for `user`. */
export function passwordAuth(session: string, user: string, password = PASSWORD): Record<string, unknown> {
  return { type: 'm.login.password', session, identifier: { type: 'm.id.user', user }, password };
}

/** Runs a UIA-protected request through the password stage: first without auth (expects
 * 401 with a session), then with the password. Returns the final response. */
export async function withPasswordUia(
  shard: TestShard,
  serverName: string,
  method: string,
  path: string,
  token: string,
  user: string,
  body: Record<string, unknown> = {},
): Promise<HttpResult> {
  const first = await call(shard, serverName, method, path, { body, token });
  expect(first.status, first.text).toBe(401);
  const challenge = first.body as { session: string; flows: { stages: string[] }[] };
  expect(challenge.flows).toEqual([{ stages: ['m.login.password'] }]);
  return call(shard, serverName, method, path, { body: { ...body, auth: passwordAuth(challenge.session, user) }, token });
}

/** The tenant's schema, for checks on what is stored. */
export function tenantDb(shard: TestShard, tenant: Record<string, unknown>): Kysely<TenantDatabase> {
  return shard.database.root.withSchema(tenant.schema as string) as unknown as Kysely<TenantDatabase>;
}

export async function whoami(shard: TestShard, serverName: string, token: string): Promise<HttpResult> {
  return call(shard, serverName, 'GET', `${CS}/account/whoami`, { token });
}
