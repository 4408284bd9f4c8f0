// The user-interactive authentication engine with multi-stage flows (the endpoints in this
// module offer one stage each; cross-signing and others will reuse the engine).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mergeAccountSettings } from '../../../src/config/account-settings.ts';
import { UiaChallenge, userInteractiveAuth, type UiaPolicy } from '../../../src/services/auth/uia.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { expectSpecSchema } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { PASSWORD, registerUser, startAccountsShard, whoami } from './helpers.ts';

let shard: TestShard;
let tenant: TenantContext;
const HS = 'uia.example';
const deps = { settings: mergeAccountSettings({ passwordHash: { logN: 10, r: 8, p: 1 } }) };
const policy: UiaPolicy = {
  operation: 'test_operation',
  userId: '@uiauser:uia.example',
  flows: [['m.login.dummy', 'm.login.password'], ['m.login.password']],
  params: { 'm.login.password': { note: 'parameters are passed through' } },
};

beforeAll(async () => {
  shard = await startAccountsShard();
  const view = await shard.createTenant({ server_name: HS, registration: 'open' });
  const reg = await registerUser(shard, HS, 'uiauser');
  await whoami(shard, HS, reg.access_token);
  tenant = shard.tenants.loaded((view.schema as string).slice('t_'.length)) as TenantContext;
  expect(tenant).toBeDefined();
});
afterAll(async () => shard?.close());

async function challenge(auth: unknown): Promise<Record<string, unknown>> {
  try {
    await userInteractiveAuth(tenant, deps, policy, auth);
  } catch (error) {
    expect(error).toBeInstanceOf(UiaChallenge);
    const body = (error as UiaChallenge).body();
    expect((error as UiaChallenge).status).toBe(401);
    await expectSpecSchema('client-server', 'definitions/auth_response.yaml', body);
    return body;
  }
  throw new Error('expected a challenge');
}

const password = (session: string) => ({ type: 'm.login.password', session, identifier: { type: 'm.id.user', user: 'uiauser' }, password: PASSWORD });

describe('multi-stage flows', () => {
  test('stages complete in order and are reported in `completed`', async () => {
    const start = await challenge(undefined);
    expect(start).toEqual({
      flows: [{ stages: ['m.login.dummy', 'm.login.password'] }, { stages: ['m.login.password'] }],
      params: { 'm.login.password': { note: 'parameters are passed through' } },
      session: expect.any(String),
    });
    const session = start.session as string;
    const afterDummy = await challenge({ type: 'm.login.dummy', session });
    expect(afterDummy).toMatchObject({ session, completed: ['m.login.dummy'] });
    expect(afterDummy).not.toHaveProperty('errcode');
    // Retrying a completed stage changes nothing.
    expect(await challenge({ type: 'm.login.dummy', session })).toMatchObject({ completed: ['m.login.dummy'] });
    // A session-only retry reports the state.
    expect(await challenge({ session })).toMatchObject({ completed: ['m.login.dummy'] });
    const done = await userInteractiveAuth(tenant, deps, policy, password(session));
    expect(done.sessionId).toBe(session);
  });

  test('a single-stage flow completes at once', async () => {
    const start = await challenge(undefined);
    const done = await userInteractiveAuth(tenant, deps, policy, password(start.session as string));
    expect(done.sessionId).toBe(start.session);
  });

  test('a stage out of order is refused with errcode, keeping what was completed', async () => {
    const policyDummyLast: UiaPolicy = { ...policy, flows: [['m.login.password', 'm.login.dummy']] };
    let body: Record<string, unknown> | undefined;
    try {
      await userInteractiveAuth(tenant, deps, policyDummyLast, { type: 'm.login.dummy' });
    } catch (error) {
      body = (error as UiaChallenge).body();
    }
    expect(body).toMatchObject({ errcode: 'M_FORBIDDEN', error: expect.any(String) });
    expect(body).not.toHaveProperty('completed');
  });

  test('an unknown stage type is refused in the 401 body', async () => {
    const start = await challenge(undefined);
    const body = await challenge({ type: 'm.login.recaptcha', session: start.session, response: 'x' });
    expect(body).toMatchObject({ errcode: 'M_FORBIDDEN', session: start.session });
  });

  test('malformed auth dicts are 400', async () => {
    for (const auth of ['string', 5, [], { type: 5 }, { session: 5 }]) {
      await expect(userInteractiveAuth(tenant, deps, policy, auth)).rejects.toMatchObject({ errcode: 'M_BAD_JSON', status: 400 });
    }
  });
});
