// What the send path remembers per tenant instead of reading on every event: users' push
// rules (checked against push_rule_versions every PUSH_RULES_RECHECK_MS) and ignore lists
// (read again every IGNORE_LISTS_RECHECK_MS). A change written by another shard — simulated
// here by writing the tables directly, past this shard's caches — is seen once the time passes.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { usersIgnoringSender, IGNORE_LISTS_RECHECK_MS } from '../../../src/services/push/ignore-lists-memo.ts';
import { pushRulesOf, PUSH_RULES_RECHECK_MS } from '../../../src/services/push/rules-cache.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, register, startRoomsShard, type Client } from '../rooms/helpers.ts';

const SERVER = 'push-memos.example';
let shard: TestShard;
let tenant: TenantContext;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, SERVER, name)))) as [Client, Client];
});

afterAll(async () => {
  await shard.stop();
});

describe('send-path memos', () => {
  test("push rules: another shard's change is seen once the recheck interval has passed", async () => {
    const t0 = Date.now();
    const first = (await pushRulesOf(tenant, [alice.userId], t0)).get(alice.userId);
    expect(first?.version).toBe(0);
    await tenant.db.insertInto('push_rule_versions').values({ user_id: alice.userId, version: '7' }).execute();
    // Within the interval the entry is used as it is, without reading the version.
    expect((await pushRulesOf(tenant, [alice.userId], t0 + PUSH_RULES_RECHECK_MS - 1)).get(alice.userId)).toBe(first);
    // After it, the version is read again and the rules rebuilt.
    const later = (await pushRulesOf(tenant, [alice.userId], t0 + PUSH_RULES_RECHECK_MS)).get(alice.userId);
    expect(later).not.toBe(first);
    expect(later?.version).toBe(7);
  });

  test("ignore lists: another shard's write is seen once the recheck interval has passed", async () => {
    const t0 = Date.now();
    expect([...(await usersIgnoringSender(tenant, [bob.userId], alice.userId, t0))]).toEqual([]);
    await tenant.db
      .insertInto('account_data')
      .values({ user_id: bob.userId, room_id: '', type: 'm.ignored_user_list', content: JSON.stringify({ ignored_users: { [alice.userId]: {} } }), stream_id: '1' } as never)
      .execute();
    expect([...(await usersIgnoringSender(tenant, [bob.userId], alice.userId, t0 + IGNORE_LISTS_RECHECK_MS - 1))]).toEqual([]);
    expect([...(await usersIgnoringSender(tenant, [bob.userId], alice.userId, t0 + IGNORE_LISTS_RECHECK_MS))]).toEqual([bob.userId]);
  });
});
