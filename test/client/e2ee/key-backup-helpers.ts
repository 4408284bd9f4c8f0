// Shared by the key backup tests: paths, sample bodies and small round trips. Every call
// goes through the rooms helpers' `Client.call`, which checks the response against the spec.
import { expect } from 'vitest';
import type { HttpResult } from '../../helpers/http.ts';
import { CS, enc, type Client } from '../rooms/helpers.ts';

export const ALGORITHM = 'm.megolm_backup.v1.curve25519-aes-sha2';

export const VERSION_PATH = `${CS}/room_keys/version`;

export function versionPath(version: string): string {
  return `${VERSION_PATH}/${enc(version)}`;
}

/** /room_keys/keys[/{roomId}[/{sessionId}]]?version=… */
export function keysPath(version: string, roomId?: string, sessionId?: string): string {
  let path = `${CS}/room_keys/keys`;
  if (roomId !== undefined) path += `/${enc(roomId)}`;
  if (sessionId !== undefined) path += `/${enc(sessionId)}`;
  return `${path}?version=${enc(version)}`;
}

export function authData(publicKey = 'hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo'): Record<string, unknown> {
  return { public_key: publicKey, signatures: { '@alice:example.org': { 'ed25519:DEVICE': 'c2lnbmF0dXJl' } } };
}

export interface KeyData {
  first_message_index: number;
  forwarded_count: number;
  is_verified: boolean;
  session_data: Record<string, unknown>;
}

/** A KeyBackupData object; `tag` goes into session_data so tests can tell keys apart. */
export function keyData(tag: string, meta: Partial<Omit<KeyData, 'session_data'>> = {}): KeyData {
  return {
    first_message_index: 0,
    forwarded_count: 0,
    is_verified: false,
    ...meta,
    session_data: { ephemeral: `eph-${tag}`, ciphertext: `ct-${tag}`, mac: `mac-${tag}` },
  };
}

/** Creates a backup, expects 200, returns its version. */
export async function createBackup(client: Client, data = authData()): Promise<string> {
  const res = await client.call('POST', VERSION_PATH, { algorithm: ALGORITHM, auth_data: data });
  expect(res.status, res.text).toBe(200);
  const version = (res.body as { version: string }).version;
  expect(typeof version).toBe('string');
  return version;
}

/** Deletes every backup of the client's user (as matrix-js-sdk does before a reset). */
export async function deleteAllBackups(client: Client): Promise<void> {
  for (;;) {
    const res = await client.call('GET', VERSION_PATH);
    if (res.status === 404) return;
    expect(res.status, res.text).toBe(200);
    const del = await client.call('DELETE', versionPath((res.body as { version: string }).version));
    expect(del.status, del.text).toBe(200);
  }
}

export interface UpdateResult {
  etag: string;
  count: number;
}

/** A successful PUT/DELETE of keys: returns {etag, count}. */
export async function expectUpdate(res: Promise<HttpResult>): Promise<UpdateResult> {
  const result = await res;
  expect(result.status, result.text).toBe(200);
  const body = result.body as UpdateResult;
  expect(Object.keys(body).sort()).toEqual(['count', 'etag']);
  return body;
}

/** The backup info of a version (200 expected). */
export async function versionInfo(client: Client, version?: string): Promise<{ version: string; algorithm: string; auth_data: Record<string, unknown>; count: number; etag: string }> {
  const res = await client.call('GET', version === undefined ? VERSION_PATH : versionPath(version));
  expect(res.status, res.text).toBe(200);
  return res.body as { version: string; algorithm: string; auth_data: Record<string, unknown>; count: number; etag: string };
}

export function expectError(res: HttpResult, status: number, errcode: string): void {
  expect(res.status, res.text).toBe(status);
  expect((res.body as { errcode: string }).errcode).toBe(errcode);
}
