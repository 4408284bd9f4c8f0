// Tenant isolation of end-to-end keys: two tenants on one shard with the same user names and
// device IDs; neither ever sees, claims or signs the other's keys (the other tenant's users
// are users of another server, which cannot be reached without federation).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, register, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';
import { CS, claim, crossSigningKeys, deviceKeys, deviceOf, oneTimeKeys, query, upload } from './keys-helpers.ts';

const A = 'keys-iso-a.example';
const B = 'keys-iso-b.example';
let shard: TestShard;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, A);
  await createOpenTenant(shard, B);
});
afterAll(async () => shard?.close());

test('a second tenant never sees the keys of the first', async () => {
  const aliceA = await register(shard, A, 'alice');
  const aliceB = await register(shard, B, 'alice');
  // The same device ID on both tenants.
  const deviceIdA = aliceA.deviceId;
  const loginB = await aliceB.call('POST', `${CS}/login`, {
    type: 'm.login.password',
    identifier: { type: 'm.id.user', user: 'alice' },
    password: 'correct horse battery staple',
    device_id: deviceIdA,
  });
  expect(loginB.status).toBe(200);
  const onA = deviceOf(aliceA);
  await upload(onA, { device_keys: deviceKeys(onA), one_time_keys: oneTimeKeys(onA, 3) });
  const xsign = crossSigningKeys(aliceA.userId);
  expect((await aliceA.call('POST', `${CS}/keys/device_signing/upload`, xsign.body)).status).toBe(200);
  const sinceB = (await sync(aliceB)).next_batch;

  // Tenant B's view of tenant A's user: another server, unreachable.
  const fromB = await query(aliceB, { [aliceA.userId]: [] });
  expect(fromB.device_keys).toEqual({});
  expect(fromB.master_keys ?? {}).toEqual({});
  expect(fromB.failures).toHaveProperty([A]);
  const claimed = await claim(aliceB, { [aliceA.userId]: { [aliceA.deviceId]: 'signed_curve25519' } });
  expect(claimed.one_time_keys).toEqual({});
  // Tenant B's own alice has nothing, not even under the shared device ID.
  const own = await query(aliceB, { [aliceB.userId]: [] });
  expect(own.device_keys[aliceB.userId]).toEqual({});
  expect(own.master_keys ?? {}).toEqual({});
  expect(((await sync(aliceB, { since: sinceB })) as unknown as { device_lists?: unknown }).device_lists).toBeUndefined();
  // Tenant A's keys are intact: none was claimed.
  const counts = await upload(onA, {});
  expect(counts).toEqual({ signed_curve25519: 3 });
  const client: Client = aliceA;
  expect(Object.keys((await query(client, { [aliceA.userId]: [] })).device_keys[aliceA.userId] ?? {})).toEqual([aliceA.deviceId]);
});
