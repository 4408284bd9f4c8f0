import { sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJsonLenient } from '../../../src/protocol/canonical-json.ts';
import {
  isEd25519KeyId,
  privateKeyFromSeed,
  publicKeyOfSeed,
  signingKeyFromSeed,
  signJson,
  signJsonWithKey,
  verifyJson,
} from '../../../src/protocol/signing.ts';
import { canonicalObject, canonicalValue } from './arbitraries.ts';
import { SPEC_KEY_ID, SPEC_SEED, SPEC_SERVER } from './fixtures.ts';

const PUBLIC_KEY = publicKeyOfSeed(SPEC_SEED);

describe('signJson: spec test vectors (appendices, "JSON Signing")', () => {
  it('signs the empty object', () => {
    expect(signJson({}, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED)).toEqual({
      signatures: {
        domain: {
          'ed25519:1': 'K8280/U9SSy9IVtjBuVeLr+HpOB4BQFWbg+UZaADMtTdGYI7Geitb76LTrr5QV/7Xg4ahLwYGYZzuHGZKM5ZAQ',
        },
      },
    });
  });

  it('signs an object with data values', () => {
    expect(signJson({ one: 1, two: 'Two' }, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED)).toEqual({
      one: 1,
      signatures: {
        domain: {
          'ed25519:1': 'KqmLSbO39/Bzb0QIYE82zqLwsA+PDzYIpIRA2sRQ4sL53+sN6/fpNSoqE7BP7vBZhG6kYdD13EIMJpvhJI+6Bw',
        },
      },
      two: 'Two',
    });
  });

  it('verifies both vectors with the seed public key', () => {
    for (const obj of [{}, { one: 1, two: 'Two' }]) {
      const signed = signJson(obj, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED);
      expect(verifyJson(signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY)).toBe(true);
    }
  });
});

describe('signJson: what the signature covers', () => {
  const signed = signJson({ a: 1, unsigned: { age: 5 } }, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED);

  it('leaves unsigned and signatures out of the signed bytes', () => {
    expect(signed.unsigned).toEqual({ age: 5 });
    expect(verifyJson({ ...signed, unsigned: { age: 99, extra: true } }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY)).toBe(true);
    const { unsigned: _u, ...withoutUnsigned } = signed;
    expect(verifyJson(withoutUnsigned, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY)).toBe(true);
    const withOther = { ...signed, signatures: { ...signed.signatures, other: { 'ed25519:x': 'abc' } } };
    expect(verifyJson(withOther, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY)).toBe(true);
  });

  it('keeps existing signatures of other servers and other keys', () => {
    const first = signJson({ a: 1 }, 'other.example', 'ed25519:o', SPEC_SEED);
    const second = signJson(first, SPEC_SERVER, 'ed25519:2', SPEC_SEED);
    const third = signJson(second, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED);
    expect(Object.keys(third.signatures).sort()).toEqual(['domain', 'other.example']);
    expect(Object.keys(third.signatures.domain ?? {}).sort()).toEqual(['ed25519:1', 'ed25519:2']);
    for (const [server, keyId] of [['other.example', 'ed25519:o'], [SPEC_SERVER, 'ed25519:2'], [SPEC_SERVER, SPEC_KEY_ID]] as const) {
      expect(verifyJson(third, server, keyId, PUBLIC_KEY)).toBe(true);
    }
  });

  it('does not modify its input', () => {
    const input = { a: 1, signatures: { x: { 'ed25519:1': 'sig' } } };
    const copy = structuredClone(input);
    signJson(input, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED);
    expect(input).toEqual(copy);
  });

  it('refuses to sign under a key ID of another algorithm', () => {
    expect(() => signJson({}, SPEC_SERVER, 'curve25519:1', SPEC_SEED)).toThrow(RangeError);
    expect(() => signJsonWithKey({}, SPEC_SERVER, signingKeyFromSeed('ed25519:', SPEC_SEED))).toThrow(RangeError);
  });
});

describe('verifyJson: failures are false, never exceptions', () => {
  const signed = signJson({ one: 1, two: 'Two' }, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED);
  const sig = signed.signatures.domain?.[SPEC_KEY_ID] as string;
  const otherKey = publicKeyOfSeed(new Uint8Array(32).fill(7));

  it.each([
    ['wrong server', signed, 'other', SPEC_KEY_ID, PUBLIC_KEY],
    ['wrong key ID', signed, SPEC_SERVER, 'ed25519:2', PUBLIC_KEY],
    ['wrong public key', signed, SPEC_SERVER, SPEC_KEY_ID, otherKey],
    ['31-byte public key', signed, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY.subarray(0, 31)],
    ['no signatures', { one: 1, two: 'Two' }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
    ['signatures not an object', { ...signed, signatures: 'x' }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
    ['server entry not an object', { ...signed, signatures: { domain: 5 } }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
    ['signature not a string', { ...signed, signatures: { domain: { [SPEC_KEY_ID]: 5 } } }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
    ['signature not base64', { ...signed, signatures: { domain: { [SPEC_KEY_ID]: '!!!' } } }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
    ['signature truncated', { ...signed, signatures: { domain: { [SPEC_KEY_ID]: sig.slice(0, 40) } } }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
    ['non-ed25519 key ID holding a valid signature', { ...signed, signatures: { domain: { 'other:1': sig } } }, SPEC_SERVER, 'other:1', PUBLIC_KEY],
    ['value without canonical form', { ...signed, x: 1.5 }, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY],
  ])('%s', (_name, obj, server, keyId, key) => {
    expect(verifyJson(obj as object, server, keyId, key)).toBe(false);
  });

  it('accepts a padded signature (decoders accept padding)', () => {
    const padded = { ...signed, signatures: { domain: { [SPEC_KEY_ID]: `${sig}==` } } };
    expect(verifyJson(padded, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY)).toBe(true);
  });

  it('uses the given encoder (lenient canonical JSON for old rooms)', () => {
    const withFloat = { power: 50.5 };
    expect(() => signJson(withFloat, SPEC_SERVER, SPEC_KEY_ID, SPEC_SEED)).toThrow();
    // What a pre-v6 sender signed: the float as written.
    const signature = sign(null, Buffer.from('{"power":50.5}'), privateKeyFromSeed(SPEC_SEED)).toString('base64');
    const received = { ...withFloat, signatures: { domain: { [SPEC_KEY_ID]: signature } } };
    expect(verifyJson(received, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY, canonicalJsonLenient)).toBe(true);
    expect(verifyJson(received, SPEC_SERVER, SPEC_KEY_ID, PUBLIC_KEY)).toBe(false);
  });
});

describe('isEd25519KeyId', () => {
  it.each([
    ['ed25519:1', true],
    ['ed25519:abc_DEF', true],
    ['ed25519:', false],
    ['ed25519', false],
    ['curve25519:1', false],
    ['ED25519:1', false],
  ])('%s → %s', (keyId, expected) => {
    expect(isEd25519KeyId(keyId)).toBe(expected);
  });
});

describe('signing properties', () => {
  const seed = fc.uint8Array({ minLength: 32, maxLength: 32 });

  it('sign → verify round-trips for any object and key', () => {
    fc.assert(
      fc.property(canonicalObject, seed, (obj, keySeed) => {
        const signed = signJson(obj, 'example.org', 'ed25519:k', keySeed);
        expect(verifyJson(signed, 'example.org', 'ed25519:k', publicKeyOfSeed(keySeed))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('any change to a signed field makes verification fail', () => {
    const tamper = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.string({ maxLength: 5 }), value: canonicalValue }),
      fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
    );
    fc.assert(
      fc.property(canonicalObject, tamper, (obj, change) => {
        const signed = signJson(obj, 'example.org', 'ed25519:k', SPEC_SEED) as Record<string, unknown>;
        const tampered: Record<string, unknown> = { ...signed };
        const fields = Object.keys(obj).filter((k) => k !== 'signatures' && k !== 'unsigned');
        if (change.kind === 'set') {
          fc.pre(change.key !== 'signatures' && change.key !== 'unsigned');
          fc.pre(JSON.stringify(signed[change.key]) !== JSON.stringify(change.value));
          Object.defineProperty(tampered, change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
        } else {
          fc.pre(fields.length > 0);
          delete tampered[fields[change.index % fields.length] as string];
        }
        expect(verifyJson(tampered, 'example.org', 'ed25519:k', PUBLIC_KEY)).toBe(false);
      }),
      { numRuns: 80 },
    );
  });
});
