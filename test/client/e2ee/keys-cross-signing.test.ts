// Cross-signing: POST /keys/device_signing/upload (first upload without UIA, replacement
// only with UIA, identical re-upload idempotent, signatures by the master key, device-ID
// collisions) and POST /keys/signatures/upload (own devices by the self-signing key, own
// master key by a device, other users' master keys by the user-signing key, visible only to
// the signer; failures per key), with the results in /keys/query and device_lists.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HttpResult } from '../../helpers/http.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { createOpenTenant, createRoom, joinRoom, register, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';
import { CS, crossSigningKeys, deviceKeys, deviceOf, ed25519, keysCall, query, signed, upload, type CrossSigning, type Device } from './keys-helpers.ts';

const HS = 'keys-xsign.example';
const PASSWORD = 'correct horse battery staple';
let shard: TestShard;
let counter = 0;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

async function newUser(): Promise<Client> {
  return register(shard, HS, `signer${counter++}`);
}

function uploadSigning(client: Client, body: Record<string, unknown>): Promise<HttpResult> {
  return keysCall(shard, HS, client, 'POST', `${CS}/keys/device_signing/upload`, body);
}

function uploadSignatures(client: Client, body: Record<string, unknown>): Promise<HttpResult> {
  return keysCall(shard, HS, client, 'POST', `${CS}/keys/signatures/upload`, body);
}

/** Uploads cross-signing keys with password UIA when the server asks for it. */
async function uploadWithUia(client: Client, body: Record<string, unknown>): Promise<HttpResult> {
  const first = await uploadSigning(client, body);
  if (first.status !== 401) return first;
  expect(first.body).toMatchObject({ flows: [{ stages: ['m.login.password'] }] });
  const session = (first.body as { session: string }).session;
  return uploadSigning(client, { ...body, auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: client.userId }, password: PASSWORD, session } });
}

async function withCrossSigning(client: Client): Promise<CrossSigning> {
  const keys = crossSigningKeys(client.userId);
  const res = await uploadSigning(client, keys.body);
  expect(res.status, res.text).toBe(200);
  return keys;
}

describe('/keys/device_signing/upload', () => {
  test('the first upload needs no UIA; the keys are served to their owner and others', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const keys = await withCrossSigning(alice);
    const own = await query(alice, { [alice.userId]: [] });
    expect(own.master_keys?.[alice.userId]).toEqual(keys.body.master_key);
    expect(own.self_signing_keys?.[alice.userId]).toEqual(keys.body.self_signing_key);
    expect(own.user_signing_keys?.[alice.userId]).toEqual(keys.body.user_signing_key);
    const theirs = await query(bob, { [alice.userId]: [] });
    expect(theirs.master_keys?.[alice.userId]).toEqual(keys.body.master_key);
    expect(theirs.self_signing_keys?.[alice.userId]).toEqual(keys.body.self_signing_key);
    // The user-signing key is only for its owner.
    expect(theirs.user_signing_keys ?? {}).not.toHaveProperty([alice.userId]);
  });

  test('repeating the stored keys needs no UIA; new keys need UIA (password)', async () => {
    const alice = await newUser();
    const keys = await withCrossSigning(alice);
    expect((await uploadSigning(alice, keys.body)).status).toBe(200);
    const replacement = crossSigningKeys(alice.userId);
    const challenged = await uploadSigning(alice, replacement.body);
    expect(challenged.status).toBe(401);
    // A wrong password fails the stage.
    const session = (challenged.body as { session: string }).session;
    const wrong = await uploadSigning(alice, { ...replacement.body, auth: { type: 'm.login.password', password: 'wrong', session } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
    expect((await query(alice, { [alice.userId]: [] })).master_keys?.[alice.userId]).toEqual(keys.body.master_key);
    const done = await uploadWithUia(alice, replacement.body);
    expect(done.status, done.text).toBe(200);
    expect((await query(alice, { [alice.userId]: [] })).master_keys?.[alice.userId]).toEqual(replacement.body.master_key);
  });

  test('subordinate keys must be signed by the master key', async () => {
    const alice = await newUser();
    const keys = crossSigningKeys(alice.userId);
    const stranger = ed25519();
    const badSsk = signed({ ...keys.body.self_signing_key, signatures: {} }, alice.userId, `ed25519:${keys.master.publicKey}`, stranger);
    const res = await uploadSigning(alice, { ...keys.body, self_signing_key: badSsk });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode: 'M_INVALID_SIGNATURE' });
    // No master key at all.
    const noMaster = await uploadSigning(alice, { self_signing_key: keys.body.self_signing_key });
    expect(noMaster.status).toBe(400);
    expect(noMaster.body).toMatchObject({ errcode: 'M_MISSING_PARAM' });
    // With the master key stored, a lone self-signing key signed by it is accepted (after UIA).
    await withCrossSigning(alice).then(async (stored) => {
      const ssk = crossSigningKeys(alice.userId);
      const resigned = signed({ ...ssk.body.self_signing_key, signatures: {} }, alice.userId, `ed25519:${stored.master.publicKey}`, stored.master);
      expect((await uploadWithUia(alice, { self_signing_key: resigned })).status).toBe(200);
    });
  });

  test('malformed keys are 400; a public key equal to a device ID is 403', async () => {
    const alice = await newUser();
    const keys = crossSigningKeys(alice.userId);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ master_key: { ...keys.body.master_key, user_id: '@other:keys-xsign.example' } }, 'M_INVALID_PARAM'],
      [{ master_key: { ...keys.body.master_key, usage: ['self_signing'] } }, 'M_INVALID_PARAM'],
      [{ master_key: { ...keys.body.master_key, keys: {} } }, 'M_INVALID_PARAM'],
      [{ master_key: { ...keys.body.master_key, keys: { 'ed25519:abc': 'def' } } }, 'M_INVALID_PARAM'],
      [{ master_key: 'x' }, 'M_BAD_JSON'],
      [{}, 'M_MISSING_PARAM'],
    ];
    for (const [body, errcode] of cases) {
      const res = await uploadSigning(alice, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ errcode });
    }
    // A device whose ID is the master public key (clients may choose device IDs at login).
    const master = ed25519();
    const login = await keysCall(shard, HS, alice, 'POST', `${CS}/login`, {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: alice.userId },
      password: PASSWORD,
      device_id: master.publicKey,
    });
    expect(login.status).toBe(200);
    const colliding = { master_key: { user_id: alice.userId, usage: ['master'], keys: { [`ed25519:${master.publicKey}`]: master.publicKey } } };
    const res = await uploadSigning(alice, colliding);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN' });
  });

  test('an upload is a device-list change for users sharing a room', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    const since = (await sync(bob)).next_batch;
    await withCrossSigning(alice);
    const next = (await sync(bob, { since })) as unknown as { device_lists?: { changed: string[] } };
    expect(next.device_lists?.changed).toEqual([alice.userId]);
  });
});

describe('/keys/signatures/upload', () => {
  async function setUp(): Promise<{ alice: Client; device: Device; keys: CrossSigning }> {
    const alice = await newUser();
    const device = deviceOf(alice);
    await upload(device, { device_keys: deviceKeys(device) });
    return { alice, device, keys: await withCrossSigning(alice) };
  }

  test('own device signed by the self-signing key: merged into /keys/query', async () => {
    const { alice, keys } = await setUp();
    const stored = (await query(alice, { [alice.userId]: [alice.deviceId] })).device_keys[alice.userId]?.[alice.deviceId] as Record<string, unknown>;
    const { unsigned: _u, ...content } = stored;
    const sskId = `ed25519:${keys.selfSigning.publicKey}`;
    const res = await uploadSignatures(alice, { [alice.userId]: { [alice.deviceId]: signed(content, alice.userId, sskId, keys.selfSigning) } });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ failures: {} });
    const after = (await query(alice, { [alice.userId]: [] })).device_keys[alice.userId]?.[alice.deviceId];
    expect(after?.signatures[alice.userId]).toHaveProperty([sskId]);
    expect(after?.signatures[alice.userId]).toHaveProperty([`ed25519:${alice.deviceId}`]);
  });

  test('own master key signed by a device', async () => {
    const { alice, device, keys } = await setUp();
    const deviceKeyId = `ed25519:${alice.deviceId}`;
    const res = await uploadSignatures(alice, { [alice.userId]: { [keys.master.publicKey]: signed(keys.body.master_key, alice.userId, deviceKeyId, device.key) } });
    expect(res.body).toEqual({ failures: {} });
    const master = (await query(alice, { [alice.userId]: [] })).master_keys?.[alice.userId];
    expect(master?.signatures?.[alice.userId]).toHaveProperty([deviceKeyId]);
  });

  test('failures per key: bad signature, unknown key, other users’ devices, mismatched content', async () => {
    const { alice, device, keys } = await setUp();
    const bob = await newUser();
    const bobDevice = deviceOf(bob);
    await upload(bobDevice, { device_keys: deviceKeys(bobDevice) });
    const stored = (await query(alice, { [alice.userId]: [alice.deviceId] })).device_keys[alice.userId]?.[alice.deviceId] as Record<string, unknown>;
    const { unsigned: _u, ...content } = stored;
    const sskId = `ed25519:${keys.selfSigning.publicKey}`;
    const res = await uploadSignatures(alice, {
      [alice.userId]: {
        // Signed by a key that is not the self-signing key, under its ID.
        [alice.deviceId]: signed(content, alice.userId, sskId, ed25519()),
        NOSUCHKEY: { user_id: alice.userId },
        // The master key, with different content than stored.
        [keys.master.publicKey]: signed({ ...keys.body.master_key, usage: ['master', 'extra'] }, alice.userId, `ed25519:${alice.deviceId}`, device.key),
      },
      [bob.userId]: { [bob.deviceId]: signed(deviceKeys(bobDevice), alice.userId, sskId, keys.selfSigning) },
    });
    expect(res.status).toBe(200);
    const failures = (res.body as { failures: Record<string, Record<string, { errcode: string }>> }).failures;
    expect(failures[alice.userId]?.[alice.deviceId]?.errcode).toBe('M_INVALID_SIGNATURE');
    expect(failures[alice.userId]?.NOSUCHKEY?.errcode).toBe('M_NOT_FOUND');
    expect(failures[alice.userId]?.[keys.master.publicKey]?.errcode).toBe('M_INVALID_PARAM');
    expect(failures[bob.userId]?.[bob.deviceId]?.errcode).toBe('M_NOT_FOUND');
    const after = (await query(alice, { [alice.userId]: [] })).device_keys[alice.userId]?.[alice.deviceId];
    expect(after?.signatures[alice.userId]).not.toHaveProperty([sskId]);
    const bad = await keysCall(shard, HS, alice, 'POST', `${CS}/keys/signatures/upload`, { [alice.userId]: 'x' });
    expect(bad.status).toBe(400);
  });

  test('another user’s master key signed by the user-signing key: seen only by the signer', async () => {
    const { alice, keys } = await setUp();
    const bob = await newUser();
    const carol = await newUser();
    const bobKeys = await withCrossSigning(bob);
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, roomId);
    await joinRoom(carol, roomId);
    const aliceSince = (await sync(alice)).next_batch;
    const carolSince = (await sync(carol)).next_batch;
    const uskId = `ed25519:${keys.userSigning.publicKey}`;
    const res = await uploadSignatures(alice, { [bob.userId]: { [bobKeys.master.publicKey]: signed(bobKeys.body.master_key, alice.userId, uskId, keys.userSigning) } });
    expect(res.body).toEqual({ failures: {} });
    expect((await query(alice, { [bob.userId]: [] })).master_keys?.[bob.userId]?.signatures?.[alice.userId]).toHaveProperty([uskId]);
    expect((await query(carol, { [bob.userId]: [] })).master_keys?.[bob.userId]?.signatures ?? {}).not.toHaveProperty([alice.userId]);
    expect((await query(bob, { [bob.userId]: [] })).master_keys?.[bob.userId]?.signatures ?? {}).not.toHaveProperty([alice.userId]);
    // Only the signer's devices hear of it.
    expect(((await sync(alice, { since: aliceSince })) as unknown as { device_lists?: { changed: string[] } }).device_lists?.changed).toEqual([bob.userId]);
    expect(((await sync(carol, { since: carolSince })) as unknown as { device_lists?: unknown }).device_lists).toBeUndefined();
    // Without a valid user-signing signature: a failure.
    const bad = await uploadSignatures(alice, { [bob.userId]: { [bobKeys.master.publicKey]: signed(bobKeys.body.master_key, alice.userId, uskId, ed25519()) } });
    expect((bad.body as { failures: Record<string, Record<string, { errcode: string }>> }).failures[bob.userId]?.[bobKeys.master.publicKey]?.errcode).toBe('M_INVALID_SIGNATURE');
  });
});
