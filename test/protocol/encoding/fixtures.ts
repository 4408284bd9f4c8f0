// Shared test data: the spec's cryptographic test vectors (appendices, "Cryptographic Test
// Vectors") and real-world events with independently published IDs and hashes.
import { createHash } from 'node:crypto';
import { decodeBase64 } from '../../../src/protocol/base64.ts';
import { signingKeyFromSeed } from '../../../src/protocol/signing.ts';

export const SPEC_SEED_BASE64 = 'YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1';
export const SPEC_SEED: Uint8Array = decodeBase64(SPEC_SEED_BASE64) as Uint8Array;
export const SPEC_SERVER = 'domain';
export const SPEC_KEY_ID = 'ed25519:1';
export const specKey = () => signingKeyFromSeed(SPEC_KEY_ID, SPEC_SEED);

/** Appendices, "Event Signing": the minimally-sized event, before signing. */
export function minimalEvent(): Record<string, unknown> {
  return {
    room_id: '!x:domain',
    sender: '@a:domain',
    origin: 'domain',
    origin_server_ts: 1000000,
    signatures: {},
    hashes: {},
    type: 'X',
    content: {},
    prev_events: [],
    auth_events: [],
    depth: 3,
    unsigned: { age_ts: 1000000 },
  };
}

/** The spec's expected output for minimalEvent(). */
export const MINIMAL_EVENT_SIGNED = {
  auth_events: [],
  content: {},
  depth: 3,
  hashes: { sha256: '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' },
  origin: 'domain',
  origin_server_ts: 1000000,
  prev_events: [],
  room_id: '!x:domain',
  sender: '@a:domain',
  signatures: {
    domain: {
      'ed25519:1': 'KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg',
    },
  },
  type: 'X',
  unsigned: { age_ts: 1000000 },
};

/** Appendices, "Event Signing": the event containing redactable content, before signing. */
export function redactableEvent(): Record<string, unknown> {
  return {
    content: { body: 'Here is the message content' },
    event_id: '$0:domain',
    origin: 'domain',
    origin_server_ts: 1000000,
    type: 'm.room.message',
    room_id: '!r:domain',
    sender: '@u:domain',
    signatures: {},
    unsigned: { age_ts: 1000000 },
  };
}

export const REDACTABLE_EVENT_SIGNED = {
  content: { body: 'Here is the message content' },
  event_id: '$0:domain',
  hashes: { sha256: 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g' },
  origin: 'domain',
  origin_server_ts: 1000000,
  type: 'm.room.message',
  room_id: '!r:domain',
  sender: '@u:domain',
  signatures: {
    domain: {
      'ed25519:1': 'Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA',
    },
  },
  unsigned: { age_ts: 1000000 },
};

/** A real room-version-5 create event from jki.re, whose ID other implementations publish in
 * their tests as $RrGxF28UrHLmoASHndYb9Jb/1SFww2ptmtur9INS438 (v3 encoding) and
 * $RrGxF28UrHLmoASHndYb9Jb_1SFww2ptmtur9INS438 (v4+). Kept as the original JSON text. */
export const REAL_V5_CREATE_JSON =
  '{"auth_events": [], "prev_events": [], "type": "m.room.create", "room_id": "!uXDCzlYgCTHtiWCkEx:jki.re", "sender": "@erikj:jki.re", "content": {"room_version": "5", "predecessor": {"room_id": "!gdRMqOrTFdOCYHNwOo:half-shot.uk", "event_id": "$LP7ROBc4b+cMc1UE9haIz8q5AK2AIW4eJ90FfKLvyZI"}, "creator": "@erikj:jki.re"}, "depth": 1, "prev_state": [], "state_key": "", "origin": "jki.re", "origin_server_ts": 1560284621137, "hashes": {"sha256": "IX6zuNiJpJPNf70BLleL3HSCpjKeq9Uhu7uUpyDjBmc"}, "signatures": {"jki.re": {"ed25519:auto": "O4IyFfF2PPtGp5uaDm8t57dZbdh8vc8Q64LgCwvzYRVItAMI0uisfiAFaxkVT7MRpzh6N2QNN5NMRXZKmgPYDA"}}, "unsigned": {"age": 1321650}}';

/** A real room-version-1 event (v1 event format: pairs in prev/auth events, own event_id). */
export const REAL_V1_NAME_JSON =
  '{"auth_events":[["$oXL79cT7fFxR7dPH:localhost",{"sha256":"abjkiDSg1RkuZrbj2jZoGMlQaaj1Ue3Jhi7I7NlKfXY"}],["$IVUsaSkm1LBAZYYh:localhost",{"sha256":"X7RUj46hM/8sUHNBIFkStbOauPvbDzjSdH4NibYWnko"}],["$VS2QT0EeArZYi8wf:localhost",{"sha256":"k9eM6utkCH8vhLW9/oRsH74jOBS/6RVK42iGDFbylno"}]],"content":{"name":"test3"},"depth":7,"event_id":"$yvN1b43rlmcOs5fY:localhost","hashes":{"sha256":"Oh1mwI1jEqZ3tgJ+V1Dmu5nOEGpCE4RFUqyJv2gQXKs"},"origin":"localhost","origin_server_ts":1510854416361,"prev_events":[["$FqI6TVvWpcbcnJ97:localhost",{"sha256":"upCsBqUhNUgT2/+zkzg8TbqdQpWWKQnZpGJc6KcbUC4"}]],"prev_state":[],"room_id":"!19Mp0U9hjajeIiw1:localhost","sender":"@test:localhost","signatures":{"localhost":{"ed25519:u9kP":"5IzSuRXkxvbTp0vZhhXYZeOe+619iG3AybJXr7zfNn/4vHz4TH7qSJVQXSaHHvcTcDodAKHnTG1WDulgO5okAQ"}},"state_key":"","type":"m.room.name"}';

/** sha256 of a hand-written canonical JSON string: an oracle independent of the encoder. */
export function sha256OfText(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

export const toStandardUnpadded = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
export const toUrlSafeUnpadded = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

export const ALL_VERSIONS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;
