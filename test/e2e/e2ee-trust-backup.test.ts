// End-to-end encryption with matrix-js-sdk and its Rust crypto, part two: cross-signing
// bootstrapped with password UIA, interactive SAS verification of a second device of the same
// user over to-device messages (the new device ends cross-signed, as seen by the first device
// and by another user), then secret storage and a key backup, restored by a third device that
// decrypts old messages it never received keys for. The tests run in order and share state.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ClientEvent, RoomEvent, RoomMemberEvent, RoomStateEvent, type MatrixClient } from 'matrix-js-sdk';
import { call, CS, createOpenTenant, startRoomsShard } from '../client/rooms/helpers.ts';
import type { TestShard } from '../helpers/shard.ts';
import { failedRequests, sdkLogin, sdkRegister, specViolations, until, type Credentials } from './sdk-helpers.ts';
import {
  createEncryptedRoom,
  cryptoOf,
  decryptedBodies,
  decryptionFailures,
  encryptedEvents,
  passwordAuth,
  pollUntil,
  startCryptoClient,
  untilDecrypted,
  untilDecryptionSettled,
  untilKnowsDevice,
  untilOwnKeysSettled,
  verifyOwnDeviceWithSas,
  type SecretKeyHolder,
  type UiaLog,
} from './crypto-helpers.ts';

const SERVER = 'e2ee-trust.example';
const ROOM_EVENTS = [RoomEvent.Timeline, RoomEvent.MyMembership, RoomStateEvent.Members, RoomMemberEvent.Membership, ClientEvent.Room];

let shard: TestShard;
const clients: MatrixClient[] = [];
let bobCreds: Credentials;
let aliceCreds: Credentials;
let alice: MatrixClient;
/** Alice's second device, verified by SAS. */
let alice2: MatrixClient;
let bob: MatrixClient;
let roomId: string;
const sent: string[] = [];
/** Alice's recovery key, as she would keep it: her devices ask for it when they need it. */
const aliceSecretKey: SecretKeyHolder = {};
const uia: UiaLog = { unauthenticated401: 0, withPassword: 0 };

interface KeysQuery {
  device_keys: Record<string, Record<string, { signatures?: Record<string, Record<string, string>> }>>;
  master_keys?: Record<string, { keys: Record<string, string> }>;
  self_signing_keys?: Record<string, { keys: Record<string, string> }>;
  user_signing_keys?: Record<string, { keys: Record<string, string> }>;
}

async function start(who: string, credentials: Credentials, secretKeys?: SecretKeyHolder): Promise<MatrixClient> {
  const client = await startCryptoClient(shard, SERVER, who, credentials, secretKeys);
  clients.push(client);
  return client;
}

async function send(client: MatrixClient, body: string): Promise<void> {
  await client.sendTextMessage(roomId, body);
  sent.push(body);
}

async function keysQuery(token: string, userId: string): Promise<KeysQuery> {
  const res = await call(shard, SERVER, 'POST', `${CS}/keys/query`, { token, body: { device_keys: { [userId]: [] } } });
  expect(res.status, res.text).toBe(200);
  return res.body as KeysQuery;
}

/** The one key ID (`ed25519:<public key>`) of a cross-signing key. */
function keyIdOf(key: { keys: Record<string, string> } | undefined): string {
  const ids = Object.keys(key?.keys ?? {});
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  aliceCreds = await sdkRegister(shard, SERVER, 'alice');
  bobCreds = await sdkRegister(shard, SERVER, 'bob');
});

afterAll(async () => {
  for (const client of clients) client.stopClient();
  await shard?.close();
});

// Each wait inside gives up after 20 s with its own message, before the test's timeout.
describe('matrix-js-sdk with Rust crypto: cross-signing, verification, key backup', { timeout: 60_000 }, () => {
  test('two users exchange encrypted messages', async () => {
    alice = await start('alice', aliceCreds, aliceSecretKey);
    bob = await start('bob', bobCreds);
    roomId = await createEncryptedRoom(alice, { name: 'Backup room', invite: [bob.getUserId()!] });
    await until(bob, ROOM_EVENTS, () => bob.getRoom(roomId)?.getMyMembership() === 'invite', 'bob invited');
    await bob.joinRoom(roomId);
    await until(alice, ROOM_EVENTS, () => alice.getRoom(roomId)?.getMember(bob.getUserId()!)?.membership === 'join', 'alice seeing bob join');
    await pollUntil(() => cryptoOf(bob).isEncryptionEnabledInRoom(roomId), 'bob seeing the room encrypted');
    for (let i = 1; i <= 4; i++) await send(i % 2 === 1 ? alice : bob, `before backup ${i}`);
    await untilDecrypted(alice, roomId, sent, 'alice decrypting');
    await untilDecrypted(bob, roomId, sent, 'bob decrypting');
    expect(decryptionFailures(alice, roomId)).toEqual([]);
  });

  test('cross-signing bootstraps with password user-interactive auth', async () => {
    const crypto = cryptoOf(alice);
    expect(await crypto.isCrossSigningReady()).toBe(false);
    await crypto.bootstrapCrossSigning({ authUploadDeviceSigningKeys: passwordAuth(alice, uia) });
    // Since v1.11 the first upload of a user's cross-signing keys needs no UIA.
    expect(uia).toEqual({ unauthenticated401: 0, withPassword: 0 });
    expect(await crypto.isCrossSigningReady()).toBe(true);
    const firstMaster = await crypto.getCrossSigningKeyId();
    const first = await keysQuery(aliceCreds.accessToken, alice.getUserId()!);
    expect(keyIdOf(first.master_keys?.[alice.getUserId()!])).toBe(`ed25519:${firstMaster}`);
    await untilOwnKeysSettled(alice, `ed25519:${firstMaster}`, keyIdOf(first.self_signing_keys?.[alice.getUserId()!]));

    // Replacing them does: a 401 with a session, then the password stage in that session.
    await crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys: passwordAuth(alice, uia) });
    expect(uia).toEqual({ unauthenticated401: 1, withPassword: 1 });
    expect(await crypto.isCrossSigningReady()).toBe(true);
    expect(await crypto.getCrossSigningKeyId()).not.toBe(firstMaster);
    const status = await crypto.getCrossSigningStatus();
    expect(status.publicKeysOnDevice).toBe(true);
    expect(status.privateKeysCachedLocally).toEqual({ masterKey: true, selfSigningKey: true, userSigningKey: true });

    // The server serves the public keys: the user-signing key only to alice herself.
    const aliceId = alice.getUserId()!;
    const own = await keysQuery(aliceCreds.accessToken, aliceId);
    const byBob = await keysQuery(bobCreds.accessToken, aliceId);
    const masterId = keyIdOf(own.master_keys?.[aliceId]);
    expect(`ed25519:${await crypto.getCrossSigningKeyId()}`).toBe(masterId);
    expect(keyIdOf(byBob.master_keys?.[aliceId])).toBe(masterId);
    const selfSigningId = keyIdOf(own.self_signing_keys?.[aliceId]);
    expect(keyIdOf(own.user_signing_keys?.[aliceId])).toMatch(/^ed25519:/);
    expect(byBob.user_signing_keys?.[aliceId]).toBeUndefined();
    // Bootstrapping signed the device with the self-signing key.
    expect(Object.keys(own.device_keys[aliceId]?.[alice.getDeviceId()!]?.signatures?.[aliceId] ?? {})).toContain(selfSigningId);
    // Bob learns alice's identity through the device-list change.
    await pollUntil(async () => (await cryptoOf(bob).getUserCrossSigningKeys(aliceId))?.master_key?.keys[masterId] !== undefined, 'bob seeing alice master key');
  });

  test('a second device is verified interactively with SAS and becomes cross-signed', async () => {
    const aliceId = alice.getUserId()!;
    alice2 = await start('alice 2', await sdkLogin(shard, SERVER, 'alice'), aliceSecretKey);
    const device2 = alice2.getDeviceId()!;
    await untilKnowsDevice(alice, aliceId, device2);
    await untilKnowsDevice(alice2, aliceId, alice.getDeviceId()!);
    // Not verified before.
    expect((await cryptoOf(alice).getDeviceVerificationStatus(aliceId, device2))?.crossSigningVerified).toBe(false);

    const result = await verifyOwnDeviceWithSas(alice2, alice);
    expect(result.initiatorEmoji).toHaveLength(7);
    expect(result.responderEmoji).toEqual(result.initiatorEmoji);

    // The first device signed the second with the self-signing key and uploaded the signature.
    await pollUntil(async () => (await cryptoOf(alice).getDeviceVerificationStatus(aliceId, device2))?.crossSigningVerified === true, 'alice seeing device 2 cross-signed');
    const own = await keysQuery(aliceCreds.accessToken, aliceId);
    const selfSigningId = keyIdOf(own.self_signing_keys?.[aliceId]);
    await pollUntil(async () => {
      const q = await keysQuery(aliceCreds.accessToken, aliceId);
      return Object.keys(q.device_keys[aliceId]?.[device2]?.signatures?.[aliceId] ?? {}).includes(selfSigningId);
    }, 'the self-signing signature of device 2 on the server');
    // The new device trusts the identity it verified, hence the first device too.
    await pollUntil(async () => (await cryptoOf(alice2).getDeviceVerificationStatus(aliceId, alice.getDeviceId()!))?.crossSigningVerified === true, 'device 2 seeing device 1 cross-signed');
    // Another user sees the new device signed by its owner.
    await pollUntil(async () => (await cryptoOf(bob).getDeviceVerificationStatus(aliceId, device2))?.signedByOwner === true, 'bob seeing device 2 signed by alice');
  });

  test('secret storage and a key backup hold the room keys', async () => {
    const crypto = cryptoOf(alice);
    await crypto.bootstrapSecretStorage({ createSecretStorageKey: () => crypto.createRecoveryKeyFromPassphrase(), setupNewKeyBackup: true });
    expect(aliceSecretKey.privateKey).toBeDefined();
    expect(await crypto.isSecretStorageReady()).toBe(true);
    const version = await crypto.getActiveSessionBackupVersion();
    expect(version).not.toBeNull();

    // Keys of sessions made after the backup exists are backed up too.
    await send(bob, 'after backup 1');
    await send(alice, 'after backup 2');
    await untilDecrypted(alice, roomId, sent, 'alice decrypting everything');

    // Every session of the room's messages reaches the server's backup from its first message
    // on: alice's first device had each from the start. (Her second device, which got the backup
    // key from the first, backs up its own later-starting copies too; the server keeps the better.)
    const sessions = new Set(encryptedEvents(alice, roomId).map((e) => e.getWireContent().session_id as string));
    await pollUntil(async () => {
      const res = await call(shard, SERVER, 'GET', `${CS}/room_keys/keys?version=${encodeURIComponent(version!)}`, { token: aliceCreds.accessToken });
      expect(res.status, res.text).toBe(200);
      const stored = (res.body as { rooms: Record<string, { sessions: Record<string, { first_message_index: number }> }> }).rooms[roomId]?.sessions ?? {};
      return [...sessions].every((id) => stored[id]?.first_message_index === 0);
    }, 'every whole session in the backup');
  });

  test('a new device restores the backup and decrypts old messages', async () => {
    // The other devices go offline: whatever the new device decrypts comes from the backup.
    alice.stopClient();
    alice2.stopClient();
    const alice3 = await start('alice 3', await sdkLogin(shard, SERVER, 'alice'), aliceSecretKey);
    const crypto = cryptoOf(alice3);
    await until(alice3, ROOM_EVENTS, () => encryptedEvents(alice3, roomId).length === sent.length, 'alice 3 having the old messages', 20_000);
    await untilDecryptionSettled(alice3, roomId, sent.length, 'alice 3 trying the old messages');
    expect(decryptedBodies(alice3, roomId)).toEqual([]);
    expect(decryptionFailures(alice3, roomId)).toHaveLength(sent.length);

    // The recovery key opens secret storage (account data), which holds the backup key.
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    expect(await crypto.getSessionBackupPrivateKey()).not.toBeNull();
    const restored = await crypto.restoreKeyBackup();
    const sessions = new Set(encryptedEvents(alice3, roomId).map((e) => e.getWireContent().session_id as string));
    expect(restored.total).toBeGreaterThanOrEqual(sessions.size);

    await untilDecrypted(alice3, roomId, sent, 'alice 3 decrypting the old messages');
    expect(decryptionFailures(alice3, roomId)).toEqual([]);
    expect([...decryptedBodies(alice3, roomId)].sort()).toEqual([...sent].sort());
  });

  test('every response the SDKs got conforms to the spec', async () => {
    expect(await specViolations()).toEqual([]);
  });

  test('the SDKs met no error response besides the expected ones', () => {
    const unexpected = failedRequests.filter((f) => {
      if (f.path === '/_matrix/client/unstable/org.matrix.msc4143/rtc/transports' && f.status === 404) return false;
      if (f.who.startsWith('register ') && f.path === '/_matrix/client/v3/register' && f.status === 401) return false;
      // The UIA round of the cross-signing upload.
      if (f.path === '/_matrix/client/v3/keys/device_signing/upload' && f.status === 401) return false;
      // Before the backup exists the SDK checks for one; the spec answers 404 M_NOT_FOUND.
      if (f.path === '/_matrix/client/v3/room_keys/version' && f.status === 404 && f.body.includes('M_NOT_FOUND')) return false;
      // A device with the backup key looks up the keys of messages it cannot decrypt, one
      // session at a time, possibly before they are backed up: 404 M_NOT_FOUND then.
      if (f.path.startsWith('/_matrix/client/v3/room_keys/keys/') && f.status === 404 && f.body.includes('M_NOT_FOUND')) return false;
      return true;
    });
    expect(unexpected).toEqual([]);
  });
});
