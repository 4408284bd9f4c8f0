// Concurrent key writes of one device must never fail. Re-uploading changed device keys
// deletes the device's signatures and then takes the device-list stream position; uploading
// a signature of that device takes the position first and then writes the signature. In
// opposite orders the two could deadlock (PostgreSQL then fails one with 500).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, register, startRoomsShard } from '../rooms/helpers.ts';
import { CS, crossSigningKeys, deviceKeys, deviceOf, keysCall, signed, upload } from './keys-helpers.ts';

const HS = 'keys-race.example';
let shard: TestShard;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

test('changed device keys and signatures of the device, uploaded at once, all succeed', async () => {
  const alice = await register(shard, HS, 'alice');
  const device = deviceOf(alice);
  await upload(device, { device_keys: deviceKeys(device) });
  const keys = crossSigningKeys(alice.userId);
  expect((await keysCall(shard, HS, alice, 'POST', `${CS}/keys/device_signing/upload`, keys.body)).status).toBe(200);
  const sskId = `ed25519:${keys.selfSigning.publicKey}`;
  const signature = (round: number) => {
    const content = deviceKeys(device, { round });
    return { content, body: { [alice.userId]: { [alice.deviceId]: signed(content, alice.userId, sskId, keys.selfSigning) } } };
  };
  for (let round = 0; round < 25; round++) {
    const current = signature(round);
    await upload(device, { device_keys: current.content });
    expect((await keysCall(shard, HS, alice, 'POST', `${CS}/keys/signatures/upload`, current.body)).status).toBe(200);
    const next = deviceKeys(device, { round: round + 1 });
    const statuses = await Promise.all([
      keysCall(shard, HS, alice, 'POST', `${CS}/keys/upload`, { device_keys: next }).then((r) => r.status),
      keysCall(shard, HS, alice, 'POST', `${CS}/keys/signatures/upload`, current.body).then((r) => r.status),
      keysCall(shard, HS, alice, 'POST', `${CS}/keys/signatures/upload`, current.body).then((r) => r.status),
    ]);
    expect(statuses).toEqual([200, 200, 200]);
  }
}, 60_000);
