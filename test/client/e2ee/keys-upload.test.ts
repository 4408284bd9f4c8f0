// POST /keys/upload: device keys (own device only, signed by the device's ed25519 key,
// identical re-uploads, replacement), one-time keys (counts, reuse of an ID, signatures,
// limits) and fallback keys; malformed bodies are 400, too many keys 413.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, register, startRoomsShard, type Client } from '../rooms/helpers.ts';
import { CS, curve25519, deviceKeys, deviceOf, ed25519, fallbackKey, oneTimeKeys, query, signed, upload, type Device } from './keys-helpers.ts';

const HS = 'keys-upload.example';
let shard: TestShard;
let counter = 0;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

async function newDevice(): Promise<Device> {
  return deviceOf(await register(shard, HS, `uploader${counter++}`));
}

async function expectError(client: Client, body: unknown, status: number, errcode: string): Promise<void> {
  const res = await client.call('POST', `${CS}/keys/upload`, body);
  expect(res.status, res.text).toBe(status);
  expect(res.body).toMatchObject({ errcode });
}

describe('device keys', () => {
  test('signed device keys are stored and served by /keys/query', async () => {
    const device = await newDevice();
    const keys = deviceKeys(device);
    expect(await upload(device, { device_keys: keys })).toEqual({ signed_curve25519: 0 });
    const result = await query(device.client, { [device.client.userId]: [] });
    const served = result.device_keys[device.client.userId]?.[device.client.deviceId];
    expect(served).toMatchObject({ ...keys });
    // Re-uploading the identical object is fine.
    expect(await upload(device, { device_keys: keys })).toEqual({ signed_curve25519: 0 });
  });

  test('unsigned, wrongly signed or tampered device keys are 400 M_INVALID_SIGNATURE', async () => {
    const device = await newDevice();
    const keys = deviceKeys(device);
    const { signatures: _s, ...unsigned } = keys;
    await expectError(device.client, { device_keys: { ...unsigned, signatures: {} } }, 400, 'M_INVALID_SIGNATURE');
    // Signed by a different key than the one it lists.
    const other = signed({ ...unsigned }, device.client.userId, `ed25519:${device.client.deviceId}`, ed25519());
    await expectError(device.client, { device_keys: other }, 400, 'M_INVALID_SIGNATURE');
    // Changed after signing.
    await expectError(device.client, { device_keys: { ...keys, algorithms: ['m.megolm.v1.aes-sha2'] } }, 400, 'M_INVALID_SIGNATURE');
    // A signature of the wrong length or not base64.
    const bad = { ...keys, signatures: { [device.client.userId]: { [`ed25519:${device.client.deviceId}`]: 'not base64!' } } };
    await expectError(device.client, { device_keys: bad }, 400, 'M_INVALID_SIGNATURE');
    // Nothing was stored.
    expect((await query(device.client, { [device.client.userId]: [] })).device_keys[device.client.userId]).toEqual({});
  });

  test('keys for another device or user are 400 M_INVALID_PARAM', async () => {
    const device = await newDevice();
    const other = await newDevice();
    // Another user's device, correctly signed by that device.
    await expectError(device.client, { device_keys: deviceKeys(other) }, 400, 'M_INVALID_PARAM');
    // The own user, another device ID.
    const foreignId = deviceOf({ ...device.client, deviceId: 'SOMEOTHERDEVICE' });
    await expectError(device.client, { device_keys: deviceKeys(foreignId) }, 400, 'M_INVALID_PARAM');
    // Without the device's own ed25519 key.
    const { userId, deviceId } = device.client;
    const noEd = signed({ user_id: userId, device_id: deviceId, algorithms: [], keys: { [`curve25519:${deviceId}`]: curve25519() } }, userId, `ed25519:${deviceId}`, device.key);
    await expectError(device.client, { device_keys: noEd }, 400, 'M_INVALID_PARAM');
  });

  test('missing or mistyped fields are 400', async () => {
    const device = await newDevice();
    const keys = deviceKeys(device);
    const { algorithms: _a, ...noAlgorithms } = keys;
    await expectError(device.client, { device_keys: noAlgorithms }, 400, 'M_BAD_JSON');
    await expectError(device.client, { device_keys: { ...keys, keys: { a: 1 } } }, 400, 'M_BAD_JSON');
    await expectError(device.client, { device_keys: 'nope' }, 400, 'M_BAD_JSON');
    await expectError(device.client, { device_keys: { ...keys, algorithms: Array.from({ length: 51 }, (_, i) => `a${i}`) } }, 413, 'M_TOO_LARGE');
    await expectError(device.client, [], 400, 'M_BAD_JSON');
  });

  test('different keys for the device replace the stored ones (as Synapse does)', async () => {
    const device = await newDevice();
    await upload(device, { device_keys: deviceKeys(device) });
    const replaced = { ...device, key: ed25519() };
    const second = deviceKeys(replaced);
    await upload(replaced, { device_keys: second });
    const served = (await query(device.client, { [device.client.userId]: [] })).device_keys[device.client.userId]?.[device.client.deviceId];
    expect(served?.keys).toEqual(second.keys);
  });

  test('unsigned is not stored; the display name is served in unsigned', async () => {
    const device = await newDevice();
    await device.client.call('PUT', `${CS}/devices/${device.client.deviceId}`, { display_name: 'Laptop' });
    await upload(device, { device_keys: { ...deviceKeys(device), unsigned: { made_up: true } } });
    const served = (await query(device.client, { [device.client.userId]: [] })).device_keys[device.client.userId]?.[device.client.deviceId];
    expect(served?.unsigned).toEqual({ device_display_name: 'Laptop' });
  });
});

describe('one-time keys', () => {
  test('are counted per algorithm; identical re-uploads are idempotent', async () => {
    const device = await newDevice();
    const otks = oneTimeKeys(device, 5);
    expect(await upload(device, { device_keys: deviceKeys(device), one_time_keys: otks })).toEqual({ signed_curve25519: 5 });
    expect(await upload(device, { one_time_keys: otks })).toEqual({ signed_curve25519: 5 });
    expect(await upload(device, { one_time_keys: oneTimeKeys(device, 3, 'more') })).toEqual({ signed_curve25519: 8 });
    // Unsigned algorithms are stored as given.
    expect(await upload(device, { one_time_keys: { 'curve25519:plain1': curve25519() } })).toEqual({ signed_curve25519: 8, curve25519: 1 });
  });

  test('reusing a key ID with different content is 400 M_INVALID_PARAM', async () => {
    const device = await newDevice();
    await upload(device, { device_keys: deviceKeys(device), one_time_keys: oneTimeKeys(device, 2) });
    await expectError(device.client, { one_time_keys: oneTimeKeys(device, 1) }, 400, 'M_INVALID_PARAM');
    expect(await upload(device, {})).toEqual({ signed_curve25519: 2 });
  });

  test('signed one-time keys must be signed by the device', async () => {
    const device = await newDevice();
    // No device keys yet: nothing to verify against.
    await expectError(device.client, { one_time_keys: oneTimeKeys(device, 1) }, 400, 'M_INVALID_SIGNATURE');
    await upload(device, { device_keys: deviceKeys(device) });
    const stranger = { ...device, key: ed25519() };
    await expectError(device.client, { one_time_keys: oneTimeKeys(stranger, 1) }, 400, 'M_INVALID_SIGNATURE');
    await expectError(device.client, { one_time_keys: { 'signed_curve25519:x': curve25519() } }, 400, 'M_INVALID_PARAM');
    await expectError(device.client, { one_time_keys: { 'signed_curve25519:y': { key: curve25519() } } }, 400, 'M_MISSING_PARAM');
    expect(await upload(device, {})).toEqual({ signed_curve25519: 0 });
  });

  test('key names without an algorithm or ID are 400; more than 100 keys are 413', async () => {
    const device = await newDevice();
    await upload(device, { device_keys: deviceKeys(device) });
    await expectError(device.client, { one_time_keys: { nocolon: curve25519() } }, 400, 'M_INVALID_PARAM');
    await expectError(device.client, { one_time_keys: { 'curve25519:': curve25519() } }, 400, 'M_INVALID_PARAM');
    await expectError(device.client, { one_time_keys: { 'curve25519:a': 5 } }, 400, 'M_BAD_JSON');
    await expectError(device.client, { one_time_keys: oneTimeKeys(device, 101) }, 413, 'M_TOO_LARGE');
    expect(await upload(device, { one_time_keys: oneTimeKeys(device, 100) })).toEqual({ signed_curve25519: 100 });
  });

  test('overlong or unstorable algorithms and key IDs are 400, not a database error', async () => {
    const device = await newDevice();
    // Incompressible, so the unique index could not hold it.
    const long = randomBytes(3000).toString('base64');
    await expectError(device.client, { one_time_keys: { [`curve25519:${long}`]: curve25519() } }, 400, 'M_INVALID_PARAM');
    await expectError(device.client, { one_time_keys: { [`${long}:a`]: curve25519() } }, 400, 'M_INVALID_PARAM');
    await expectError(device.client, { fallback_keys: { [`${long}:a`]: curve25519() } }, 400, 'M_INVALID_PARAM');
    await expectError(device.client, { one_time_keys: { 'curve\ud800:a': curve25519() } }, 400, 'M_BAD_JSON');
    expect(await upload(device, {})).toEqual({ signed_curve25519: 0 });
  });
});

describe('fallback keys', () => {
  test('one per algorithm; a new one replaces the old', async () => {
    const device = await newDevice();
    await upload(device, { device_keys: deviceKeys(device), fallback_keys: fallbackKey(device, 'f1') });
    await upload(device, { fallback_keys: fallbackKey(device, 'f2') });
    const bad = { ...fallbackKey(device, 'f3'), 'signed_curve25519:f4': fallbackKey(device, 'f4')['signed_curve25519:f4'] };
    await expectError(device.client, { fallback_keys: bad }, 400, 'M_INVALID_PARAM');
    const stranger = { ...device, key: ed25519() };
    await expectError(device.client, { fallback_keys: fallbackKey(stranger, 'f5') }, 400, 'M_INVALID_SIGNATURE');
  });
});
