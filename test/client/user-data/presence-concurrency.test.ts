// Concurrent presence writes of one user (several devices sending, typing and setting their
// status at once) must never fail. A user without a presence row yet had nothing to lock:
// one writer could take the presence stream position and then wait for the row another
// writer had locked meanwhile, while that writer waited for the stream position — a
// deadlock PostgreSQL broke by failing one request with 500.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { markUserActive } from '../../../src/services/presence/mark-user-active.ts';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, createOpenTenant, enc, register, startRoomsShard } from '../rooms/helpers.ts';

const HS = 'presence-race.example';
let shard: TestShard;
let tenant: TenantContext;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, HS);
});
afterAll(async () => {
  await shard?.close();
});

test('many concurrent presence writes of fresh users all succeed', async () => {
  const states = ['online', 'unavailable', 'offline'] as const;
  for (let round = 0; round < 8; round++) {
    const user = await register(shard, HS, `racer${round}`);
    const writes = Array.from({ length: 8 }, (_, i) =>
      i % 2 === 0
        ? user.call('PUT', `${CS}/presence/${enc(user.userId)}/status`, { presence: states[i % 3], status_msg: `write ${i}` }).then((res) => res.status)
        : markUserActive(tenant, user.userId).then(() => 200),
    );
    expect(await Promise.all(writes)).toEqual(Array.from({ length: 8 }, () => 200));
  }
}, 60_000);
