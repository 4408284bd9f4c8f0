// End-to-end encryption with matrix-js-sdk and its Rust crypto (matrix-sdk-crypto-wasm) as real
// clients of a real shard: device keys upload, key query and claim, Olm-encrypted room keys
// over to-device messages, Megolm messages in a DM and in a room of three, a second device
// that decrypts what is sent after its login (device-list changes in /sync), and a second
// tenant that sees none of the keys. The tests run in order and share state.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RoomEvent, RoomMemberEvent, RoomStateEvent, ClientEvent, type MatrixClient } from 'matrix-js-sdk';
import { call, CS, createOpenTenant, startRoomsShard } from '../client/rooms/helpers.ts';
import type { TestShard } from '../helpers/shard.ts';
import { failedRequests, sdkLogin, sdkRegister, specViolations, until, type Credentials } from './sdk-helpers.ts';
import {
  createEncryptedRoom,
  cryptoOf,
  decryptedBodies,
  decryptionFailures,
  encryptedEvents,
  MEGOLM,
  pollUntil,
  startCryptoClient,
  untilDecrypted,
  untilDecryptionSettled,
  untilKnowsDevice,
} from './crypto-helpers.ts';

const SERVER = 'e2ee-a.example';
const OTHER = 'e2ee-b.example';
const ROOM_EVENTS = [RoomEvent.Timeline, RoomEvent.MyMembership, RoomStateEvent.Members, RoomMemberEvent.Membership, ClientEvent.Room];

let shard: TestShard;
const clients: MatrixClient[] = [];
const creds = new Map<string, Credentials>();
let alice: MatrixClient;
let bob: MatrixClient;
let carol: MatrixClient;
/** Bob's second device, logged in after the first messages. */
let bob2: MatrixClient;
/** @alice of the other tenant. */
let outsider: MatrixClient;
let dmId: string;
let groupId: string;
/** What was sent into each room, in order. */
const sent = new Map<string, string[]>();

async function start(serverName: string, who: string, credentials: Credentials): Promise<MatrixClient> {
  const client = await startCryptoClient(shard, serverName, who, credentials);
  clients.push(client);
  return client;
}

async function send(client: MatrixClient, roomId: string, body: string): Promise<void> {
  await client.sendTextMessage(roomId, body);
  sent.set(roomId, [...(sent.get(roomId) ?? []), body]);
}

async function joinAndSettle(roomId: string, inviter: MatrixClient, invitees: MatrixClient[]): Promise<void> {
  for (const invitee of invitees) {
    await until(invitee, ROOM_EVENTS, () => invitee.getRoom(roomId)?.getMyMembership() === 'invite', `${invitee.getUserId()} invited`);
    await invitee.joinRoom(roomId);
  }
  const everyone = [inviter, ...invitees];
  for (const member of everyone) {
    await until(
      member,
      ROOM_EVENTS,
      () => everyone.every((other) => member.getRoom(roomId)?.getMember(other.getUserId()!)?.membership === 'join'),
      `${member.getUserId()} seeing everyone joined`,
    );
    await pollUntil(() => cryptoOf(member).isEncryptionEnabledInRoom(roomId), `${member.getUserId()} seeing the room encrypted`);
  }
}

function sorted(values: unknown[]): unknown[] {
  return [...values].sort();
}

/** Every message of `roomId` sent by others reached `client` encrypted with Megolm and decrypted to what was sent. */
function expectAllDecrypted(client: MatrixClient, roomId: string, bodies: string[]): void {
  expect(decryptionFailures(client, roomId)).toEqual([]);
  const own = client.getUserId();
  const fromOthers = encryptedEvents(client, roomId).filter((e) => e.getSender() !== own);
  for (const event of fromOthers) expect(event.getWireContent().algorithm).toBe(MEGOLM);
  expect(sorted(decryptedBodies(client, roomId).filter((b) => bodies.includes(b as string)))).toEqual(sorted(bodies));
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  await createOpenTenant(shard, OTHER);
});

afterAll(async () => {
  for (const client of clients) client.stopClient();
  await shard?.close();
});

// Each wait inside gives up after 20 s with its own message, before the test's timeout.
describe('matrix-js-sdk with Rust crypto: encrypted messaging', { timeout: 60_000 }, () => {
  test('clients upload their device keys and find each other’s', async () => {
    for (const name of ['alice', 'bob', 'carol']) creds.set(name, await sdkRegister(shard, SERVER, name));
    creds.set('outsider', await sdkRegister(shard, OTHER, 'alice'));
    [alice, bob, carol, outsider] = await Promise.all([
      start(SERVER, 'alice', creds.get('alice')!),
      start(SERVER, 'bob', creds.get('bob')!),
      start(SERVER, 'carol', creds.get('carol')!),
      start(OTHER, 'outsider', creds.get('outsider')!),
    ]);

    // The server serves each device's keys exactly as the SDK made them.
    const query = { device_keys: { '@alice:e2ee-a.example': [], '@bob:e2ee-a.example': [], '@carol:e2ee-a.example': [] } };
    for (const client of [alice, bob, carol]) {
      const own = await cryptoOf(client).getOwnDeviceKeys();
      const userId = client.getUserId()!;
      const deviceId = client.getDeviceId()!;
      await pollUntil(async () => {
        const res = await call(shard, SERVER, 'POST', `${CS}/keys/query`, { token: creds.get('carol')!.accessToken, body: query });
        const keys = (res.body as { device_keys?: Record<string, Record<string, { keys: Record<string, string> }>> }).device_keys?.[userId]?.[deviceId]?.keys;
        return keys?.[`ed25519:${deviceId}`] === own.ed25519 && keys[`curve25519:${deviceId}`] === own.curve25519;
      }, `${userId}'s device keys on the server`);
    }
    // And the SDKs find them by key query.
    await untilKnowsDevice(alice, bob.getUserId()!, bob.getDeviceId()!);
    await untilKnowsDevice(bob, alice.getUserId()!, alice.getDeviceId()!);
  });

  test('a DM: two users exchange encrypted messages both ways', async () => {
    dmId = await createEncryptedRoom(alice, { name: 'DM', invite: [bob.getUserId()!], isDirect: true });
    await joinAndSettle(dmId, alice, [bob]);
    for (let i = 1; i <= 6; i++) await send(i % 2 === 1 ? alice : bob, dmId, `dm message ${i}`);
    const bodies = sent.get(dmId)!;
    await untilDecrypted(bob, dmId, bodies, 'bob decrypting the DM');
    await untilDecrypted(alice, dmId, bodies, 'alice decrypting the DM');
    expectAllDecrypted(bob, dmId, bodies);
    expectAllDecrypted(alice, dmId, bodies);
    // Over the wire the messages were ciphertext only.
    for (const event of encryptedEvents(bob, dmId).filter((e) => e.getSender() === alice.getUserId())) {
      expect(JSON.stringify(event.getWireContent())).not.toContain('dm message');
    }
  });

  test('a room of three: every message decrypts at every other member', async () => {
    groupId = await createEncryptedRoom(alice, { name: 'Group', invite: [bob.getUserId()!, carol.getUserId()!] });
    await joinAndSettle(groupId, alice, [bob, carol]);
    const senders = [alice, bob, carol];
    for (let i = 0; i < 9; i++) await send(senders[i % 3]!, groupId, `group message ${i + 1}`);
    const bodies = sent.get(groupId)!;
    for (const member of senders) await untilDecrypted(member, groupId, bodies, `${member.getUserId()} decrypting the group`);
    for (const member of senders) expectAllDecrypted(member, groupId, bodies);
  });

  test('a second device decrypts what is sent after its login', async () => {
    const before = { dm: sent.get(dmId)!.length, group: sent.get(groupId)!.length };
    bob2 = await start(SERVER, 'bob 2', await sdkLogin(shard, SERVER, 'bob'));
    const bobId = bob.getUserId()!;
    const bob2Device = bob2.getDeviceId()!;
    // Everyone sharing a room with bob learns of the new device through device-list changes in sync.
    for (const client of [alice, carol, bob]) await untilKnowsDevice(client, bobId, bob2Device);

    await send(alice, dmId, 'dm after login 1');
    await send(bob, dmId, 'dm after login 2');
    await send(alice, groupId, 'group after login 1');
    await send(carol, groupId, 'group after login 2');
    await send(bob, groupId, 'group after login 3');
    await send(bob2, groupId, 'group from the second device');
    const dmAfter = sent.get(dmId)!.slice(before.dm);
    const groupAfter = sent.get(groupId)!.slice(before.group);

    await untilDecrypted(bob2, dmId, dmAfter, 'bob 2 decrypting the DM');
    await untilDecrypted(bob2, groupId, groupAfter, 'bob 2 decrypting the group');
    expect(sorted(decryptedBodies(bob2, dmId))).toEqual(sorted(dmAfter));
    expect(sorted(decryptedBodies(bob2, groupId))).toEqual(sorted(groupAfter));
    for (const member of [alice, bob, carol]) await untilDecrypted(member, groupId, ['group from the second device'], `${member.getUserId()} decrypting bob 2`);
    expectAllDecrypted(alice, groupId, sent.get(groupId)!);
    expectAllDecrypted(carol, groupId, sent.get(groupId)!);
    expectAllDecrypted(bob, groupId, sent.get(groupId)!);

    // Messages from before the login were never shared with the new device: they stay undecryptable there.
    await untilDecryptionSettled(bob2, groupId, encryptedEvents(bob2, groupId).length, 'bob 2 settling old messages');
    const oldAtBob2 = encryptedEvents(bob2, groupId).filter((e) => !groupAfter.includes(e.getClearContent()?.body as string));
    expect(oldAtBob2).toHaveLength(before.group);
    for (const event of oldAtBob2) expect(event.isDecryptionFailure()).toBe(true);
  });

  test('a user of another tenant sees none of the keys', async () => {
    const aliceA = alice.getUserId()!;
    const bobA = bob.getUserId()!;
    const token = creds.get('outsider')!.accessToken;
    const query = await call(shard, OTHER, 'POST', `${CS}/keys/query`, { token, body: { device_keys: { [aliceA]: [], [bobA]: [], '@alice:e2ee-b.example': [] } } });
    expect(query.status, query.text).toBe(200);
    const body = query.body as { device_keys: Record<string, Record<string, unknown>>; master_keys?: Record<string, unknown> };
    // Users of the first tenant are users of another server here: no keys at all.
    expect(Object.keys(body.device_keys[aliceA] ?? {})).toEqual([]);
    expect(Object.keys(body.device_keys[bobA] ?? {})).toEqual([]);
    expect(body.master_keys?.[aliceA]).toBeUndefined();
    // The same localpart on this tenant has exactly its own device.
    expect(Object.keys(body.device_keys['@alice:e2ee-b.example'] ?? {})).toEqual([outsider.getDeviceId()]);

    const claim = await call(shard, OTHER, 'POST', `${CS}/keys/claim`, {
      token,
      body: { one_time_keys: { [aliceA]: { [alice.getDeviceId()!]: 'signed_curve25519' } } },
    });
    expect(claim.status, claim.text).toBe(200);
    expect((claim.body as { one_time_keys: Record<string, unknown> }).one_time_keys[aliceA] ?? {}).toEqual({});

    // Nor does its SDK learn any device of the first tenant's users.
    const seen = await cryptoOf(outsider).getUserDeviceInfo([aliceA, bobA], true);
    expect([...(seen.get(aliceA)?.keys() ?? []), ...(seen.get(bobA)?.keys() ?? [])]).toEqual([]);
    expect(outsider.getRooms()).toEqual([]);
  });

  test('every response the SDKs got conforms to the spec', async () => {
    expect(await specViolations()).toEqual([]);
  });

  test('the SDKs met no error response besides the expected ones', () => {
    const unexpected = failedRequests.filter((f) => {
      if (f.path === '/_matrix/client/unstable/org.matrix.msc4143/rtc/transports' && f.status === 404) return false;
      if (f.who.startsWith('register ') && f.path === '/_matrix/client/v3/register' && f.status === 401) return false;
      // No key backup exists in this test: the SDK checks for one and the spec answers 404 M_NOT_FOUND.
      if (f.path === '/_matrix/client/v3/room_keys/version' && f.status === 404 && f.body.includes('M_NOT_FOUND')) return false;
      return true;
    });
    expect(unexpected).toEqual([]);
  });
});
