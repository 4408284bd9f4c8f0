// POST /keys/query and /keys/claim: all or listed devices, unknown users and devices left
// out, remote users reported as failures; claims hand out one-time keys oldest first, each
// at most once even under concurrent claims, then the fallback key (kept, marked used, and
// no longer listed in /sync's device_unused_fallback_key_types); deleting a device deletes
// its keys.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, login, register, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';
import { CS, claim, deviceKeys, deviceOf, fallbackKey, oneTimeKeys, query, upload, type Device } from './keys-helpers.ts';

const HS = 'keys-query.example';
let shard: TestShard;
let counter = 0;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

async function newUser(): Promise<Client> {
  return register(shard, HS, `querier${counter++}`);
}

async function withKeys(client: Client, otks = 0, fallback?: string): Promise<Device> {
  const device = deviceOf(client);
  await upload(device, {
    device_keys: deviceKeys(device),
    ...(otks > 0 ? { one_time_keys: oneTimeKeys(device, otks) } : {}),
    ...(fallback ? { fallback_keys: fallbackKey(device, fallback) } : {}),
  });
  return device;
}

interface SyncKeys {
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
}

describe('/keys/query', () => {
  test('all devices, listed devices, unknown users and devices', async () => {
    const alice = await newUser();
    const alice2 = await login(shard, HS, alice.userId);
    const bob = await newUser();
    await withKeys(alice);
    await withKeys(alice2);
    const all = await query(bob, { [alice.userId]: [] });
    expect(Object.keys(all.device_keys[alice.userId] ?? {}).sort()).toEqual([alice.deviceId, alice2.deviceId].sort());
    expect(all.failures).toEqual({});
    const listed = await query(bob, { [alice.userId]: [alice2.deviceId, 'NOSUCHDEVICE'] });
    expect(Object.keys(listed.device_keys[alice.userId] ?? {})).toEqual([alice2.deviceId]);
    // A user without device keys: an empty object; an unknown user: left out; no error.
    const unknown = await query(bob, { [bob.userId]: [], [`@nobody:${HS}`]: [] });
    expect(unknown.device_keys).toEqual({ [bob.userId]: {} });
  });

  test('users of other servers are reported in failures', async () => {
    const alice = await newUser();
    const result = await query(alice, { '@someone:elsewhere.example': [], [alice.userId]: [] });
    expect(result.failures).toHaveProperty(['elsewhere.example']);
    expect(result.device_keys).not.toHaveProperty(['@someone:elsewhere.example']);
  });

  test('malformed bodies are 400', async () => {
    const alice = await newUser();
    for (const body of [{}, { device_keys: [] }, { device_keys: { [alice.userId]: 'x' } }, { device_keys: { [alice.userId]: [1] } }, { device_keys: {}, timeout: 'soon' }]) {
      const res = await alice.call('POST', `${CS}/keys/query`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('/keys/claim', () => {
  test('hands out one-time keys oldest first, each once', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const device = deviceOf(alice);
    const first = oneTimeKeys(device, 1, 'first');
    await upload(device, { device_keys: deviceKeys(device), one_time_keys: first });
    await upload(device, { one_time_keys: oneTimeKeys(device, 1, 'second') });
    const one = await claim(bob, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } });
    expect(one.one_time_keys[alice.userId]?.[alice.deviceId]).toEqual(first);
    const two = await claim(bob, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } });
    expect(Object.keys(two.one_time_keys[alice.userId]?.[alice.deviceId] ?? {})).toEqual(['signed_curve25519:second0']);
    // None left, no fallback key: nothing for the device.
    const three = await claim(bob, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } });
    expect(three.one_time_keys).toEqual({});
    expect(three.failures).toEqual({});
  });

  test('unknown users, devices and algorithms get nothing; remote servers are failures', async () => {
    const alice = await newUser();
    await withKeys(alice, 3);
    const result = await claim(alice, {
      [`@nobody:${HS}`]: { DEVICE: 'signed_curve25519' },
      [alice.userId]: { NOSUCHDEVICE: 'signed_curve25519' },
      '@someone:elsewhere.example': { DEVICE: 'signed_curve25519' },
    });
    expect(result.one_time_keys).toEqual({});
    expect(result.failures).toHaveProperty(['elsewhere.example']);
    const otherAlgorithm = await claim(alice, { [alice.userId]: { [alice.deviceId]: 'curve25519' } });
    expect(otherAlgorithm.one_time_keys).toEqual({});
    for (const body of [{}, { one_time_keys: { [alice.userId]: ['x'] } }, { one_time_keys: { [alice.userId]: { D: 1 } } }]) {
      const res = await alice.call('POST', `${CS}/keys/claim`, body);
      expect(res.status).toBe(400);
    }
  });

  test('concurrent claims never return the same one-time key; then the fallback key', async () => {
    const alice = await newUser();
    const claimers = await Promise.all(Array.from({ length: 4 }, () => newUser()));
    const device = deviceOf(alice);
    const fallback = fallbackKey(device, 'fb');
    await upload(device, { device_keys: deviceKeys(device), one_time_keys: oneTimeKeys(device, 30), fallback_keys: fallback });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => claim(claimers[i % claimers.length] as Client, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } })),
    );
    const handedOut = results.map((r) => Object.keys(r.one_time_keys[alice.userId]?.[alice.deviceId] ?? {}));
    expect(handedOut.every((keys) => keys.length === 1)).toBe(true);
    const ids = handedOut.map((keys) => keys[0]);
    const oneTime = ids.filter((id) => id !== 'signed_curve25519:fb');
    expect(new Set(oneTime).size).toBe(oneTime.length);
    // Each claim locks and deletes one key, skipping keys other claims hold: all 30 went out,
    // once each, and the other 10 claims got the fallback key.
    expect(oneTime.length).toBe(30);
    expect(ids.filter((id) => id === 'signed_curve25519:fb').length).toBe(10);
    const later = await claim(claimers[0] as Client, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } });
    expect(later.one_time_keys[alice.userId]?.[alice.deviceId]).toEqual(fallback);
  });

  test('the fallback key is used when one-time keys run out, and /sync says so', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const device = deviceOf(alice);
    const fb = fallbackKey(device, 'fb1');
    await upload(device, { device_keys: deviceKeys(device), one_time_keys: oneTimeKeys(device, 1), fallback_keys: fb });
    const before = (await sync(alice)) as unknown as SyncKeys;
    expect(before.device_one_time_keys_count).toEqual({ signed_curve25519: 1 });
    expect(before.device_unused_fallback_key_types).toEqual(['signed_curve25519']);
    await claim(bob, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } });
    const stillUnused = (await sync(alice)) as unknown as SyncKeys;
    expect(stillUnused.device_one_time_keys_count).toEqual({ signed_curve25519: 0 });
    expect(stillUnused.device_unused_fallback_key_types).toEqual(['signed_curve25519']);
    const viaFallback = await claim(bob, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } });
    expect(viaFallback.one_time_keys[alice.userId]?.[alice.deviceId]).toEqual(fb);
    // Handed out again until replaced.
    expect((await claim(bob, { [alice.userId]: { [alice.deviceId]: 'signed_curve25519' } })).one_time_keys[alice.userId]?.[alice.deviceId]).toEqual(fb);
    expect(((await sync(alice)) as unknown as SyncKeys).device_unused_fallback_key_types).toEqual([]);
    // Re-uploading the same key keeps it used; a new key is unused.
    await upload(device, { fallback_keys: fb });
    expect(((await sync(alice)) as unknown as SyncKeys).device_unused_fallback_key_types).toEqual([]);
    await upload(device, { fallback_keys: fallbackKey(device, 'fb2') });
    expect(((await sync(alice)) as unknown as SyncKeys).device_unused_fallback_key_types).toEqual(['signed_curve25519']);
  });
});

describe('device deletion', () => {
  test('logging out deletes the device’s keys', async () => {
    const alice = await newUser();
    const second = await login(shard, HS, alice.userId);
    await withKeys(second, 2, 'fb');
    expect(Object.keys((await query(alice, { [alice.userId]: [] })).device_keys[alice.userId] ?? {})).toEqual([second.deviceId]);
    expect((await second.call('POST', `${CS}/logout`, {})).status).toBe(200);
    expect((await query(alice, { [alice.userId]: [] })).device_keys[alice.userId]).toEqual({});
    expect((await claim(alice, { [alice.userId]: { [second.deviceId]: 'signed_curve25519' } })).one_time_keys).toEqual({});
  });
});
