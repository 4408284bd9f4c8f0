import { describe, expect, it } from 'vitest';
import { CanonicalJsonError } from '../../../src/protocol/canonical-json.ts';
import {
  addContentHash,
  contentHash,
  contentHashBytes,
  referenceHash,
  verifyContentHash,
} from '../../../src/protocol/event-hashes.ts';
import { UnknownRoomVersionError } from '../../../src/protocol/room-versions.ts';
import {
  ALL_VERSIONS,
  MINIMAL_EVENT_SIGNED,
  minimalEvent,
  REAL_V1_NAME_JSON,
  REAL_V5_CREATE_JSON,
  REDACTABLE_EVENT_SIGNED,
  redactableEvent,
  sha256OfText,
} from './fixtures.ts';

describe('contentHash: spec and real-world vectors', () => {
  it.each([
    ['spec minimal event', minimalEvent(), '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos'],
    ['spec redactable event', redactableEvent(), 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g'],
    ['real v5 create event', JSON.parse(REAL_V5_CREATE_JSON), 'IX6zuNiJpJPNf70BLleL3HSCpjKeq9Uhu7uUpyDjBmc'],
    ['real v1 name event', JSON.parse(REAL_V1_NAME_JSON), 'Oh1mwI1jEqZ3tgJ+V1Dmu5nOEGpCE4RFUqyJv2gQXKs'],
  ])('%s', (_name, event, expected) => {
    expect(contentHash(event as object)).toBe(expected);
    expect(verifyContentHash({ ...(event as object), hashes: { sha256: expected } })).toBe(true);
  });

  it('is sha256 over canonical JSON without unsigned, signatures and hashes', () => {
    const text = '{"auth_events":[],"content":{},"depth":3,"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}';
    expect(Buffer.from(contentHashBytes(minimalEvent()))).toEqual(sha256OfText(text));
    const noisy = { ...minimalEvent(), unsigned: { age: 1 }, signatures: { s: { 'ed25519:1': 'x' } }, hashes: { sha256: 'y', other: 'z' } };
    expect(contentHash(noisy)).toBe(contentHash(minimalEvent()));
  });

  it('covers every other key, including ones redaction would strip', () => {
    const base = contentHash(redactableEvent());
    expect(contentHash({ ...redactableEvent(), content: { body: 'changed' } })).not.toBe(base);
    expect(contentHash({ ...redactableEvent(), extra: 1 })).not.toBe(base);
    expect(contentHash({ ...redactableEvent(), origin: 'other' })).not.toBe(base);
  });

  it('encodes strictly with a v6+ room version and leniently before', () => {
    const withFloat = { ...minimalEvent(), content: { power: 50.5 } };
    expect(() => contentHash(withFloat, '6')).toThrow(CanonicalJsonError);
    expect(() => contentHash(withFloat, '12')).toThrow(CanonicalJsonError);
    expect(contentHash(withFloat, '5')).toBe(contentHash(withFloat));
    const text = '{"auth_events":[],"content":{"power":50.5},"depth":3,"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}';
    expect(Buffer.from(contentHashBytes(withFloat, '1'))).toEqual(sha256OfText(text));
    expect(() => contentHash(minimalEvent(), '99')).toThrow(UnknownRoomVersionError);
  });
});

describe('verifyContentHash', () => {
  const good = MINIMAL_EVENT_SIGNED;

  it('accepts the spec output in every room version and a padded hash', () => {
    for (const version of ALL_VERSIONS) expect(verifyContentHash(good, version)).toBe(true);
    expect(verifyContentHash({ ...good, hashes: { sha256: `${good.hashes.sha256}=` } })).toBe(true);
  });

  it.each([
    ['changed content', { ...good, content: { a: 1 } }],
    ['changed top-level key', { ...good, depth: 4 }],
    ['no hashes', { ...good, hashes: undefined }],
    ['hashes not an object', { ...good, hashes: 'x' }],
    ['sha256 missing', { ...good, hashes: { sha512: good.hashes.sha256 } }],
    ['sha256 not a string', { ...good, hashes: { sha256: 5 } }],
    ['sha256 not base64', { ...good, hashes: { sha256: '!!!' } }],
    ['sha256 too short', { ...good, hashes: { sha256: good.hashes.sha256.slice(0, 20) } }],
    ['float in a strict room', { ...good, content: { x: 1.5 } }],
  ])('false for %s', (_name, event) => {
    expect(verifyContentHash(event, '10')).toBe(false);
  });

  it('false for non-objects and unknown room versions, never throws', () => {
    for (const input of [null, undefined, 'x', 5, [], [good]]) expect(verifyContentHash(input)).toBe(false);
    expect(verifyContentHash(good, 'nope')).toBe(false);
    expect(verifyContentHash({ ...good, content: { x: '\uD800' } })).toBe(false);
    expect(verifyContentHash({ ...good, content: { x: 10n } })).toBe(false);
  });
});

describe('addContentHash', () => {
  it('sets hashes to the content hash, replacing earlier hashes, without touching the input', () => {
    const input = { ...minimalEvent(), hashes: { sha256: 'stale', md5: 'old' } };
    const copy = structuredClone(input);
    const hashed = addContentHash(input);
    expect(hashed.hashes).toEqual({ sha256: '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' });
    expect(input).toEqual(copy);
    expect(verifyContentHash(hashed)).toBe(true);
  });

  it('refuses values without a strict canonical form', () => {
    expect(() => addContentHash({ content: { x: 0.5 } })).toThrow(CanonicalJsonError);
  });
});

describe('referenceHash', () => {
  const MINIMAL_REDACTED_V1 =
    '{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}';
  const MINIMAL_REDACTED_V11 =
    '{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}';
  const REDACTABLE_REDACTED_V1 =
    '{"content":{},"event_id":"$0:domain","hashes":{"sha256":"onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g"},"origin":"domain","origin_server_ts":1000000,"room_id":"!r:domain","sender":"@u:domain","type":"m.room.message"}';

  it.each(['1', '3', '4', '10'])('is sha256 of the redacted event without signatures and unsigned (v%s)', (version) => {
    expect(Buffer.from(referenceHash(MINIMAL_EVENT_SIGNED, version))).toEqual(sha256OfText(MINIMAL_REDACTED_V1));
    expect(Buffer.from(referenceHash(REDACTABLE_EVENT_SIGNED, version))).toEqual(sha256OfText(REDACTABLE_REDACTED_V1));
  });

  it.each(['11', '12'])('uses the v11 redaction in room version %s (origin is not protected)', (version) => {
    expect(Buffer.from(referenceHash(MINIMAL_EVENT_SIGNED, version))).toEqual(sha256OfText(MINIMAL_REDACTED_V11));
  });

  it('is the same for the full event and its redacted copy, and ignores signatures and unsigned', () => {
    const full = { ...REDACTABLE_EVENT_SIGNED, unsigned: { age: 1 } };
    const redacted = { ...REDACTABLE_EVENT_SIGNED, content: {}, signatures: { other: { 'ed25519:z': 'q' } } };
    expect(referenceHash(full, '4')).toEqual(referenceHash(redacted, '4'));
  });

  it('throws for unknown room versions and, in strict rooms, for unencodable protected values', () => {
    expect(() => referenceHash(MINIMAL_EVENT_SIGNED, '0')).toThrow(UnknownRoomVersionError);
    expect(() => referenceHash({ ...MINIMAL_EVENT_SIGNED, depth: 1.5 }, '6')).toThrow(CanonicalJsonError);
    expect(referenceHash({ ...MINIMAL_EVENT_SIGNED, depth: 1.5 }, '5')).toHaveLength(32);
    // Unprotected floats vanish in redaction, so they never reach the reference hash.
    expect(referenceHash({ ...MINIMAL_EVENT_SIGNED, content: { x: 1.5 } }, '6')).toHaveLength(32);
  });
});
