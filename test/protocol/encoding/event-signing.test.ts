import { sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/protocol/canonical-json.ts';
import { verifyContentHash } from '../../../src/protocol/event-hashes.ts';
import { eventId, eventIdFromReferenceHash } from '../../../src/protocol/event-id.ts';
import {
  hashAndSignEvent,
  hashAndSignNewEvent,
  signEvent,
  verifyEventSignature,
  verifyEventSignatureWithKey,
} from '../../../src/protocol/event-signing.ts';
import { redact } from '../../../src/protocol/redaction.ts';
import { requireRoomVersion, UnknownRoomVersionError } from '../../../src/protocol/room-versions.ts';
import { privateKeyFromSeed, publicKeyFromRaw, publicKeyOfSeed, signingKeyFromSeed } from '../../../src/protocol/signing.ts';
import { canonicalObject } from './arbitraries.ts';
import {
  ALL_VERSIONS,
  MINIMAL_EVENT_SIGNED,
  minimalEvent,
  REDACTABLE_EVENT_SIGNED,
  redactableEvent,
  SPEC_KEY_ID,
  SPEC_SEED,
  SPEC_SERVER,
  specKey,
} from './fixtures.ts';

const PUBLIC_KEY = publicKeyOfSeed(SPEC_SEED);
const PRE_V11 = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
const signatureOf = (event: object) => (event as { signatures: Record<string, Record<string, string>> }).signatures[SPEC_SERVER]?.[SPEC_KEY_ID] as string;

describe('hashAndSignEvent: spec test vectors (appendices, "Event Signing")', () => {
  // The vectors keep `origin` in the signed (redacted) form, so they hold for the redaction
  // algorithms of room versions 1–10.
  it.each(PRE_V11)('minimal event, room version %s', (version) => {
    expect(hashAndSignEvent(minimalEvent(), SPEC_SERVER, specKey(), version)).toEqual(MINIMAL_EVENT_SIGNED);
  });

  it.each(PRE_V11)('event with redactable content, room version %s', (version) => {
    expect(hashAndSignEvent(redactableEvent(), SPEC_SERVER, specKey(), version)).toEqual(REDACTABLE_EVENT_SIGNED);
  });

  it('signs exactly the canonical JSON of the redacted event', () => {
    const redactedText =
      '{"content":{},"event_id":"$0:domain","hashes":{"sha256":"onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g"},"origin":"domain","origin_server_ts":1000000,"room_id":"!r:domain","sender":"@u:domain","type":"m.room.message"}';
    const signature = Buffer.from(signatureOf(REDACTABLE_EVENT_SIGNED), 'base64');
    expect(verify(null, Buffer.from(redactedText), publicKeyFromRaw(PUBLIC_KEY), signature)).toBe(true);
  });

  it.each(['11', '12'])('room version %s signs the v11 redaction (no origin), so signatures differ', (version) => {
    const signed = hashAndSignEvent(minimalEvent(), SPEC_SERVER, specKey(), version);
    expect(signed.hashes).toEqual(MINIMAL_EVENT_SIGNED.hashes);
    expect(signatureOf(signed)).not.toBe(signatureOf(MINIMAL_EVENT_SIGNED));
    const text =
      '{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}';
    expect(verify(null, Buffer.from(text), publicKeyFromRaw(PUBLIC_KEY), Buffer.from(signatureOf(signed), 'base64'))).toBe(true);
    expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, version)).toBe(true);
    expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '10')).toBe(false);
  });

  it('does not modify its input and keeps other servers’ signatures', () => {
    const input = { ...minimalEvent(), signatures: { 'other.example': { 'ed25519:o': 'kept' } } };
    const copy = structuredClone(input);
    const signed = hashAndSignEvent(input, SPEC_SERVER, specKey(), '10');
    expect(input).toEqual(copy);
    expect(signed.signatures['other.example']).toEqual({ 'ed25519:o': 'kept' });
    expect(signatureOf(signed)).toBe(signatureOf(MINIMAL_EVENT_SIGNED));
  });

  it('throws for unknown room versions and non-canonical content', () => {
    expect(() => hashAndSignEvent(minimalEvent(), SPEC_SERVER, specKey(), '13')).toThrow(UnknownRoomVersionError);
    expect(() => hashAndSignEvent({ ...minimalEvent(), content: { x: 0.5 } }, SPEC_SERVER, specKey(), '1')).toThrow();
  });
});

describe('signEvent', () => {
  it('adds a second server’s signature over the same redacted form, leaving hashes alone', () => {
    const otherSeed = new Uint8Array(32).fill(3);
    const cosigned = signEvent(MINIMAL_EVENT_SIGNED, 'resident.example', signingKeyFromSeed('ed25519:r', otherSeed), '10');
    expect(cosigned.hashes).toBe(MINIMAL_EVENT_SIGNED.hashes);
    expect(verifyEventSignature(cosigned, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '10')).toBe(true);
    expect(verifyEventSignature(cosigned, 'resident.example', 'ed25519:r', publicKeyOfSeed(otherSeed), '10')).toBe(true);
  });
});

describe('verifyEventSignature', () => {
  const signed = REDACTABLE_EVENT_SIGNED;

  it('holds for the full event and for its redacted copy', () => {
    expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(true);
    expect(verifyEventSignature(redact(signed, '1'), SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(true);
    expect(verifyEventSignatureWithKey(signed, SPEC_SERVER, SPEC_KEY_ID, publicKeyFromRaw(PUBLIC_KEY), '1')).toBe(true);
  });

  it('still holds when unprotected content changes, but the content hash then fails', () => {
    const altered = { ...signed, content: { body: 'forged' }, unsigned: { age: 1 } };
    expect(verifyEventSignature(altered, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(true);
    expect(verifyContentHash(altered, '1')).toBe(false);
  });

  it.each([
    ['changed origin_server_ts', { ...signed, origin_server_ts: 1000001 }],
    ['changed sender', { ...signed, sender: '@v:domain' }],
    ['changed type', { ...signed, type: 'm.room.topic' }],
    ['changed hashes', { ...signed, hashes: { sha256: 'x' } }],
    ['added protected key', { ...signed, state_key: '' }],
    ['removed protected key', { ...signed, room_id: undefined }],
    ['no signatures', { ...signed, signatures: undefined }],
  ])('fails for %s', (_name, event) => {
    expect(verifyEventSignature(event, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(false);
  });

  it('is false, never an exception, for bad keys, versions and input', () => {
    expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, new Uint8Array(31), '1')).toBe(false);
    expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, publicKeyOfSeed(new Uint8Array(32)), '1')).toBe(false);
    expect(verifyEventSignature(signed, SPEC_SERVER, 'ed25519:2', PUBLIC_KEY, '1')).toBe(false);
    expect(verifyEventSignature(signed, 'other', SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(false);
    expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, 'unknown')).toBe(false);
    for (const input of [null, undefined, 5, 'x', [signed]]) {
      expect(verifyEventSignature(input, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(false);
    }
    expect(verifyEventSignature({ ...signed, origin: '\uD800' }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, '1')).toBe(false);
  });

  it('verifies a pre-v6 event whose protected values are floats, as the sender wrote them', () => {
    const event = { type: 'm.room.power_levels', depth: 1.5, content: { users: { '@b:x': 50.57 } }, sender: '@a:x' };
    const text = '{"content":{"users":{"@b:x":50.57}},"depth":1.5,"sender":"@a:x","type":"m.room.power_levels"}';
    const signature = sign(null, Buffer.from(text), privateKeyFromSeed(SPEC_SEED)).toString('base64').replace(/=+$/, '');
    const received = { ...event, signatures: { x: { 'ed25519:1': signature } } };
    expect(verifyEventSignature(received, 'x', 'ed25519:1', PUBLIC_KEY, '5')).toBe(true);
    expect(verifyEventSignature(received, 'x', 'ed25519:1', PUBLIC_KEY, '6')).toBe(false);
  });
});

describe('event signing properties', () => {
  const message = fc.record({ content: canonicalObject, extra: canonicalObject }).map(({ content, extra }) => ({
    ...extra,
    ...minimalEvent(),
    type: 'm.room.message',
    content,
  }));

  it('hash + sign → content hash and signature verify, in every room version', () => {
    fc.assert(
      fc.property(message, fc.constantFrom(...ALL_VERSIONS), (event, version) => {
        const signed = hashAndSignEvent(event, SPEC_SERVER, specKey(), version);
        expect(verifyContentHash(signed, version)).toBe(true);
        expect(verifyEventSignature(signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, version)).toBe(true);
        expect(verifyEventSignature(redact(signed, version), SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, version)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('changing any protected field breaks the signature', () => {
    const field = fc.constantFrom('sender', 'room_id', 'type', 'depth', 'origin_server_ts', 'prev_events', 'auth_events', 'state_key');
    fc.assert(
      fc.property(message, field, fc.constantFrom(...ALL_VERSIONS), (event, key, version) => {
        const signed = hashAndSignEvent(event, SPEC_SERVER, specKey(), version) as Record<string, unknown>;
        const tampered = { ...signed, [key]: key === 'depth' || key === 'origin_server_ts' ? 12345 : ['$tampered'] };
        expect(verifyEventSignature(tampered, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, version)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});

describe('hashAndSignNewEvent: each member encoded once for the content hash, the signature, the reference hash and the JSON', () => {
  const V3_PLUS = ALL_VERSIONS.filter((v) => !['1', '2'].includes(v));

  it.each(V3_PLUS)('equals hashAndSignEvent and eventId on the spec events, room version %s', (version) => {
    for (const event of [minimalEvent(), redactableEvent()]) {
      const expected = hashAndSignEvent(event, SPEC_SERVER, specKey(), version);
      const { pdu, referenceHash, json } = hashAndSignNewEvent(event, SPEC_SERVER, specKey(), version);
      expect(pdu).toEqual(expected);
      expect(json).toBe(canonicalJson(expected));
      expect(eventIdFromReferenceHash(referenceHash, requireRoomVersion(version))).toBe(eventId(expected, version));
    }
  });

  it('equals them on arbitrary content, types and state keys in every room version 3+', () => {
    fc.assert(
      fc.property(fc.constantFrom(...V3_PLUS), canonicalObject, fc.constantFrom('m.room.message', 'm.room.member', 'm.room.power_levels', 'x.custom'), fc.option(fc.string({ maxLength: 8 })), (version, content, type, stateKey) => {
        const event = { ...minimalEvent(), type, content, ...(stateKey === null ? {} : { state_key: stateKey }) };
        const { pdu, referenceHash, json } = hashAndSignNewEvent(event, SPEC_SERVER, specKey(), version);
        const expected = hashAndSignEvent(event, SPEC_SERVER, specKey(), version);
        expect(pdu).toEqual(expected);
        expect(json).toBe(canonicalJson(expected));
        expect(eventIdFromReferenceHash(referenceHash, requireRoomVersion(version))).toBe(eventId(expected, version));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses room versions whose event IDs are not hashes, and keys that are not ed25519', () => {
    expect(() => eventIdFromReferenceHash(new Uint8Array(32), requireRoomVersion('1'))).toThrow(RangeError);
    expect(() => hashAndSignNewEvent(minimalEvent(), SPEC_SERVER, { ...specKey(), keyId: 'rsa:1' }, '10')).toThrow(RangeError);
  });
});
