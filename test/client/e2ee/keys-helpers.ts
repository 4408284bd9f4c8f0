// Helpers of the end-to-end key tests: ed25519 keys made with node:crypto, signed device,
// one-time, fallback and cross-signing key objects, and spec-checked calls (a UIA challenge
// of /keys/device_signing/upload, which the operation does not list, is checked against the
// spec's authentication response schema).
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { expect } from 'vitest';
import { canonicalJson } from '../../../src/protocol/canonical-json.ts';
import { callTenant, type HttpResult } from '../../helpers/http.ts';
import { expectSpecConformance, expectSpecSchema } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, type Client } from '../rooms/helpers.ts';

export { CS };

type Json = Record<string, unknown>;

function unpadded(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** An ed25519 key pair; `publicKey` in unpadded base64. */
export interface Ed25519 {
  publicKey: string;
  privateKey: KeyObject;
}

export function ed25519(): Ed25519 {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { publicKey: unpadded(raw), privateKey };
}

/** A copy of obj signed by `key` as userId's `keyId` (Signing JSON: without signatures and unsigned). */
export function signed<T extends Json>(obj: T, userId: string, keyId: string, key: Ed25519): T {
  const { signatures, unsigned: _u, ...content } = obj as Json;
  const signature = unpadded(sign(null, Buffer.from(canonicalJson(content), 'utf8'), key.privateKey));
  const existing = (signatures ?? {}) as Record<string, Record<string, string>>;
  return { ...obj, signatures: { ...existing, [userId]: { ...(existing[userId] ?? {}), [keyId]: signature } } };
}

export function curve25519(): string {
  return unpadded(randomBytes(32));
}

/** A client's device with its ed25519 identity key. */
export interface Device {
  client: Client;
  key: Ed25519;
}

export function deviceOf(client: Client): Device {
  return { client, key: ed25519() };
}

/** The device's keys object, signed by its own ed25519 key. */
export function deviceKeys(device: Device, extra: Json = {}): Json {
  const { userId, deviceId } = device.client;
  return signed(
    {
      user_id: userId,
      device_id: deviceId,
      algorithms: ['m.olm.v1.curve25519-aes-sha2', 'm.megolm.v1.aes-sha2'],
      keys: { [`curve25519:${deviceId}`]: curve25519(), [`ed25519:${deviceId}`]: device.key.publicKey },
      ...extra,
    },
    userId,
    `ed25519:${deviceId}`,
    device.key,
  );
}

/** signed_curve25519 one-time keys "signed_curve25519:<prefix><i>" signed by the device. */
export function oneTimeKeys(device: Device, count: number, prefix = 'k'): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (let i = 0; i < count; i++) {
    result[`signed_curve25519:${prefix}${i}`] = signed({ key: curve25519() }, device.client.userId, `ed25519:${device.client.deviceId}`, device.key);
  }
  return result;
}

export function fallbackKey(device: Device, id: string): Record<string, Json> {
  return { [`signed_curve25519:${id}`]: signed({ key: curve25519(), fallback: true }, device.client.userId, `ed25519:${device.client.deviceId}`, device.key) };
}

/** A spec-checked call with the client's token (see the header). */
export async function keysCall(shard: TestShard, serverName: string, client: Client, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const res = await callTenant(shard.url, serverName, path, { method, token: client.token, ...(body !== undefined ? { body } : {}) });
  if (res.status === 401 && typeof res.body === 'object' && res.body !== null && 'flows' in res.body) {
    await expectSpecSchema('client-server', 'definitions/auth_response.yaml', res.body);
  } else {
    await expectSpecConformance(method, path, res.status, res.body);
  }
  return res;
}

/** Uploads keys and expects 200; returns one_time_key_counts. */
export async function upload(device: Device, body: Json): Promise<Record<string, number>> {
  const res = await device.client.call('POST', `${CS}/keys/upload`, body);
  expect(res.status, res.text).toBe(200);
  return (res.body as { one_time_key_counts: Record<string, number> }).one_time_key_counts;
}

export interface QueryResult {
  device_keys: Record<string, Record<string, Json & { unsigned?: Json; signatures: Record<string, Record<string, string>> }>>;
  master_keys?: Record<string, Json & { signatures?: Record<string, Record<string, string>> }>;
  self_signing_keys?: Record<string, Json>;
  user_signing_keys?: Record<string, Json>;
  failures: Record<string, unknown>;
}

export async function query(client: Client, users: Record<string, string[]>): Promise<QueryResult> {
  const res = await client.call('POST', `${CS}/keys/query`, { device_keys: users });
  expect(res.status, res.text).toBe(200);
  return res.body as QueryResult;
}

export interface ClaimResult {
  one_time_keys: Record<string, Record<string, Record<string, Json>>>;
  failures: Record<string, unknown>;
}

export async function claim(client: Client, wanted: Record<string, Record<string, string>>): Promise<ClaimResult> {
  const res = await client.call('POST', `${CS}/keys/claim`, { one_time_keys: wanted });
  expect(res.status, res.text).toBe(200);
  return res.body as ClaimResult;
}

/** A user's cross-signing keys (master, self-signing, user-signing), the latter two signed by the master. */
export interface CrossSigning {
  master: Ed25519;
  selfSigning: Ed25519;
  userSigning: Ed25519;
  body: { master_key: Json; self_signing_key: Json; user_signing_key: Json };
}

export function crossSigningKeys(userId: string): CrossSigning {
  const master = ed25519();
  const selfSigning = ed25519();
  const userSigning = ed25519();
  const keyOf = (usage: string, key: Ed25519): Json => ({ user_id: userId, usage: [usage], keys: { [`ed25519:${key.publicKey}`]: key.publicKey } });
  const masterId = `ed25519:${master.publicKey}`;
  return {
    master,
    selfSigning,
    userSigning,
    body: {
      master_key: keyOf('master', master),
      self_signing_key: signed(keyOf('self_signing', selfSigning), userId, masterId, master),
      user_signing_key: signed(keyOf('user_signing', userSigning), userId, masterId, master),
    },
  };
}
