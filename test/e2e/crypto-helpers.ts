// Helpers of the E2EE end-to-end tests: matrix-js-sdk clients with the Rust crypto
// (matrix-sdk-crypto-wasm, in-memory store; in Node the package's `node.mjs` entry reads the
// .wasm file from disk, nothing else is needed), encrypted rooms, waits for decrypted messages
// and for other devices' keys, password UIA for cross-signing uploads, SAS verification between
// two devices, and secret-storage keys held in memory as a user would hold a recovery key.
import type { EventEmitter } from 'node:events';
import { ClientEvent, MatrixError, Preset, type MatrixClient, type MatrixEvent } from 'matrix-js-sdk';
import type { UIAuthCallback } from 'matrix-js-sdk/lib/interactive-auth.js';
import type { ReceivedToDeviceMessage } from 'matrix-js-sdk/lib/sync-accumulator.js';
import {
  CryptoEvent,
  VerificationPhase,
  VerifierEvent,
  type CryptoApi,
  type ShowSasCallbacks,
  type VerificationRequest,
  type Verifier,
} from 'matrix-js-sdk/lib/crypto-api/index.js';
import type { TestShard } from '../helpers/shard.ts';
import { nextEvent, PASSWORD, sdkClient, startSyncing, type Credentials } from './sdk-helpers.ts';

export const MEGOLM = 'm.megolm.v1.aes-sha2';
const DEFAULT_TIMEOUT_MS = 20_000;

/** A user's secret-storage key (what a person would keep as the recovery key), shared by their devices. */
export interface SecretKeyHolder {
  keyId?: string;
  privateKey?: Uint8Array<ArrayBuffer>;
}

/** Creates a client with the Rust crypto and starts it; resolves once its first sync is prepared. */
export async function startCryptoClient(shard: TestShard, serverName: string, who: string, credentials: Credentials, secretKeys: SecretKeyHolder = {}): Promise<MatrixClient> {
  const client = sdkClient(shard, serverName, who, credentials, {
    // SAS only, so neither side ever waits on a QR code.
    verificationMethods: ['m.sas.v1'],
    cryptoCallbacks: {
      getSecretStorageKey: ({ keys }) => {
        const ids = Object.keys(keys);
        const id = secretKeys.keyId !== undefined && ids.includes(secretKeys.keyId) ? secretKeys.keyId : undefined;
        return Promise.resolve(id !== undefined && secretKeys.privateKey !== undefined ? [id, secretKeys.privateKey] : null);
      },
      cacheSecretStorageKey: (keyId, _info, key) => {
        secretKeys.keyId = keyId;
        secretKeys.privateKey = key;
      },
    },
  });
  await client.initRustCrypto({ useIndexedDB: false });
  // Enough for every message of these tests to arrive in the first sync.
  await startSyncing(client, 50);
  return client;
}

export function cryptoOf(client: MatrixClient): CryptoApi {
  const crypto = client.getCrypto();
  if (crypto === undefined) throw new Error(`${client.getUserId()} has no crypto`);
  return crypto;
}

/**
 * Polls `check` until it holds (bounded: rejects after `timeoutMs` naming `what`). For state
 * that changes without an event the test can name, e.g. the SDK's device store after a key query.
 */
export async function pollUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves once `check` holds, re-checked on every `event` of `emitter` (checked first). */
export function untilEmitted(emitter: EventEmitter, event: string, check: () => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const onEvent = (): void => {
      if (!check()) return;
      finish();
      resolve();
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
    onEvent();
  });
}

/** Creates a room encrypted with Megolm from its creation on. */
export async function createEncryptedRoom(client: MatrixClient, options: { name: string; invite: string[]; isDirect?: boolean }): Promise<string> {
  const { room_id: roomId } = await client.createRoom({
    name: options.name,
    invite: options.invite,
    is_direct: options.isDirect ?? false,
    preset: options.isDirect === true ? Preset.TrustedPrivateChat : Preset.PrivateChat,
    initial_state: [{ type: 'm.room.encryption', state_key: '', content: { algorithm: MEGOLM } }],
  });
  return roomId;
}

/** The encrypted events of a room's live timeline (as they came over the wire), oldest first. */
export function encryptedEvents(client: MatrixClient, roomId: string): MatrixEvent[] {
  const events = client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  return events.filter((e) => e.getWireType() === 'm.room.encrypted');
}

/**
 * The bodies of the room's messages that were encrypted and have decrypted, in timeline order
 * (a sender's own messages stay where their local echo was put, so orders differ per client).
 */
export function decryptedBodies(client: MatrixClient, roomId: string): unknown[] {
  return encryptedEvents(client, roomId)
    .filter((e) => !e.isBeingDecrypted() && !e.isDecryptionFailure() && e.getClearContent() !== null && e.getType() === 'm.room.message')
    .map((e) => e.getContent().body);
}

/** Waits until every body in `bodies` has been received encrypted and decrypted (in that order). */
export async function untilDecrypted(client: MatrixClient, roomId: string, bodies: string[], what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const wanted = new Set(bodies);
  try {
    await pollUntil(() => decryptedBodies(client, roomId).filter((b) => wanted.has(b as string)).length === bodies.length, what, timeoutMs);
  } catch (err) {
    const have = new Set(decryptedBodies(client, roomId));
    const missing = bodies.filter((b) => !have.has(b));
    throw new Error(`${(err as Error).message}; missing ${JSON.stringify(missing)}; failures ${JSON.stringify(decryptionFailures(client, roomId))}`, { cause: err });
  }
}

/** Descriptions of the room's encrypted events that failed to decrypt (with the reason). */
export function decryptionFailures(client: MatrixClient, roomId: string): string[] {
  return encryptedEvents(client, roomId)
    .filter((e) => e.isDecryptionFailure())
    .map((e) => `${e.getId()} from ${e.getSender()} (session ${e.getWireContent().session_id}): ${e.decryptionFailureReason}`);
}

/** Waits until the SDK has finished trying to decrypt every encrypted event of the room. */
export function untilDecryptionSettled(client: MatrixClient, roomId: string, count: number, what: string): Promise<void> {
  return pollUntil(() => {
    const events = encryptedEvents(client, roomId);
    return events.length >= count && events.every((e) => !e.isBeingDecrypted() && (e.isDecryptionFailure() || e.getClearContent() !== null));
  }, what);
}

/** Whether `client`'s device store (not the server: what the SDK learned) knows `deviceId` of `userId`. */
export async function knowsDevice(client: MatrixClient, userId: string, deviceId: string): Promise<boolean> {
  // Users the client tracks (sharing an encrypted room) come from its store, kept current by
  // device-list changes in sync; others are downloaded by a key query.
  const devices = await cryptoOf(client).getUserDeviceInfo([userId], true);
  return devices.get(userId)?.has(deviceId) === true;
}

export function untilKnowsDevice(client: MatrixClient, userId: string, deviceId: string): Promise<void> {
  return pollUntil(() => knowsDevice(client, userId, deviceId), `${client.getUserId()}/${client.getDeviceId()} knowing ${userId}/${deviceId}`);
}

/**
 * Waits until `client` has caught up with its own cross-signing keys on the server: its store
 * holds the master key `masterKeyId` and its device carries the signature of `selfSigningKeyId`,
 * one more sync has gone through (a round trip of a test account data event) and no key query
 * of its user is pending. Needed before resetting the keys: the Rust crypto drops private keys
 * that differ from the public ones a key query returns, so an answer with the old keys that
 * arrives during a reset would undo it.
 */
export async function untilOwnKeysSettled(client: MatrixClient, masterKeyId: string, selfSigningKeyId: string): Promise<void> {
  const userId = client.getUserId()!;
  const deviceId = client.getDeviceId()!;
  const crypto = cryptoOf(client);
  await pollUntil(async () => {
    const master = (await crypto.getUserCrossSigningKeys(userId))?.master_key;
    const device = (await crypto.getUserDeviceInfo([userId])).get(userId)?.get(deviceId);
    return master?.keys[masterKeyId] !== undefined && device?.signatures.get(userId)?.has(selfSigningKeyId) === true;
  }, `${userId} knowing its own cross-signing keys`);
  const nonce = `${Date.now()}-${Math.random()}`;
  const echoed = nextEvent<[MatrixEvent]>(client, ClientEvent.AccountData, (event) => event.getContent().nonce === nonce, 'the settle account data');
  const setAccountData = client.setAccountData.bind(client) as unknown as (type: string, content: object) => Promise<unknown>;
  await setAccountData('org.tessera.test.settle', { nonce });
  await echoed;
  // Waits for a key query of the user still in flight.
  await crypto.getUserDeviceInfo([userId]);
}

/** Record of the UIA exchanges `passwordAuth` went through. */
export interface UiaLog {
  unauthenticated401: number;
  withPassword: number;
}

/**
 * The UIA callback a client gives for uploading cross-signing keys: first the request without
 * auth (the server answers 401 with a session), then the password stage in that session.
 */
export function passwordAuth(client: MatrixClient, log: UiaLog): UIAuthCallback<void> {
  return async (makeRequest) => {
    let session: string | undefined;
    try {
      await makeRequest(null);
      return;
    } catch (err) {
      if (!(err instanceof MatrixError) || err.httpStatus !== 401) throw err;
      log.unauthenticated401++;
      session = (err.data as { session?: string }).session;
    }
    log.withPassword++;
    await makeRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user: client.getUserId()! }, password: PASSWORD, session });
  };
}

/** `promise`, or a rejection naming `what` after `timeoutMs`: for SDK calls that wait on the other side. */
export function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function whenSasShown(verifier: Verifier): Promise<ShowSasCallbacks> {
  const shown = verifier.getShowSasCallbacks();
  if (shown !== null) return Promise.resolve(shown);
  return new Promise((resolve) => verifier.once(VerifierEvent.ShowSas, resolve));
}

export interface SasResult {
  /** The emoji names each side showed. */
  initiatorEmoji: string[];
  responderEmoji: string[];
  initiatorRequest: VerificationRequest;
  responderRequest: VerificationRequest;
}

/**
 * Interactive SAS verification of `initiator` (a new device) by another device of the same
 * user, all over to-device messages: request, accept, start m.sas.v1, both sides show the
 * emoji, the "user" compares them and confirms on both devices, and both requests end Done.
 */
export async function verifyOwnDeviceWithSas(initiator: MatrixClient, responder: MatrixClient): Promise<SasResult> {
  const received = nextEvent<[VerificationRequest]>(
    responder,
    CryptoEvent.VerificationRequestReceived,
    (request) => request.isSelfVerification && request.otherDeviceId === initiator.getDeviceId(),
    'the verification request at the other device',
    DEFAULT_TIMEOUT_MS,
  );
  const outgoing = await withTimeout(cryptoOf(initiator).requestOwnUserVerification(), 'sending the verification request');
  const [incoming] = await received;
  await withTimeout(incoming.accept(), 'accepting the request');
  await untilEmitted(outgoing as unknown as EventEmitter, 'change', () => outgoing.phase === VerificationPhase.Ready, 'the request ready at the initiator');

  const initiatorVerifier = await withTimeout(outgoing.startVerification('m.sas.v1'), 'starting SAS');
  await untilEmitted(incoming as unknown as EventEmitter, 'change', () => incoming.verifier !== undefined, 'SAS started at the responder');
  const responderVerifier = incoming.verifier!;

  const initiatorSas = whenSasShown(initiatorVerifier);
  const responderSas = whenSasShown(responderVerifier);
  const initiatorDone = initiatorVerifier.verify();
  const responderDone = responderVerifier.verify();
  // A failure of either side must not leave the other's promise unhandled.
  initiatorDone.catch(() => undefined);
  responderDone.catch(() => undefined);
  const [a, b] = await withTimeout(
    Promise.race([
      Promise.all([initiatorSas, responderSas]),
      Promise.all([initiatorDone, responderDone]).then(() => {
        throw new Error('verification ended without showing SAS');
      }),
    ]),
    'both devices showing the SAS',
  );
  const initiatorEmoji = (a.sas.emoji ?? []).map(([, name]) => name);
  const responderEmoji = (b.sas.emoji ?? []).map(([, name]) => name);
  if (initiatorEmoji.length === 0 || initiatorEmoji.join() !== responderEmoji.join()) {
    a.mismatch();
    b.mismatch();
    throw new Error(`SAS mismatch: ${initiatorEmoji.join()} vs ${responderEmoji.join()}`);
  }
  // The initiator confirms first, the responder once the initiator's MAC has reached it (as
  // two people comparing emoji would). Confirming both at once races inside the SDK: a device
  // that receives the other's MAC while still sending its own sends its `done` concurrently;
  // the server may then store `done` before `mac`, and the other device, which gets them in
  // that order, ignores the early `done` and waits forever.
  const initiatorMac = nextEvent<[ReceivedToDeviceMessage]>(
    responder,
    ClientEvent.ReceivedToDeviceMessage,
    ({ message }) => message.type === 'm.key.verification.mac' && message.sender === initiator.getUserId(),
    'the initiator MAC at the responder',
    DEFAULT_TIMEOUT_MS,
  );
  await withTimeout(a.confirm(), 'confirming the SAS on the initiator');
  await initiatorMac;
  await withTimeout(b.confirm(), 'confirming the SAS on the responder');
  await withTimeout(Promise.all([initiatorDone, responderDone]), 'both verifiers done (MACs exchanged)');
  await untilEmitted(outgoing as unknown as EventEmitter, 'change', () => outgoing.phase === VerificationPhase.Done, 'the request done at the initiator');
  await untilEmitted(incoming as unknown as EventEmitter, 'change', () => incoming.phase === VerificationPhase.Done, 'the request done at the responder');
  return { initiatorEmoji, responderEmoji, initiatorRequest: outgoing, responderRequest: incoming };
}
