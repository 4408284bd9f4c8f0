// Signed PDUs and the key map verifyBatch takes, for the worker tests.
import { encodeBase64 } from '../../src/protocol/base64.ts';
import { hashAndSignEvent } from '../../src/protocol/event-signing.ts';
import { signingKeyFromSeed, type SigningKey } from '../../src/protocol/signing.ts';

export const SERVER = 'origin.example.org';
export const OTHER = 'other.example.org';
export const KEY = signingKeyFromSeed('ed25519:a1', new Uint8Array(32).fill(7));
export const OTHER_KEY = signingKeyFromSeed('ed25519:b2', new Uint8Array(32).fill(9));

export function keysFor(...entries: Array<[string, SigningKey]>): Record<string, Record<string, string>> {
  const keys: Record<string, Record<string, string>> = {};
  for (const [server, key] of entries) (keys[server] ??= {})[key.keyId] = encodeBase64(key.publicKey);
  return keys;
}

export const KEYS = keysFor([SERVER, KEY], [OTHER, OTHER_KEY]);

export function message(n: number, roomVersion = '10', sender = `@user:${SERVER}`): Record<string, unknown> {
  const event: Record<string, unknown> = {
    room_id: `!room:${SERVER}`,
    type: 'm.room.message',
    sender,
    content: { msgtype: 'm.text', body: `message ${n}` },
    prev_events: [],
    auth_events: [],
    depth: n + 1,
    origin_server_ts: 1_700_000_000_000 + n,
  };
  if (roomVersion === '1' || roomVersion === '2') event.event_id = `$m${n}:${SERVER}`;
  return event;
}

export function signed(event: Record<string, unknown>, roomVersion = '10', server = SERVER, key = KEY): Record<string, unknown> {
  return hashAndSignEvent(event, server, key, roomVersion);
}
