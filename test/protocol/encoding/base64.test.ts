import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeBase64Url, encodeBase64, encodeBase64Url } from '../../../src/protocol/base64.ts';
import { SPEC_SEED_BASE64 } from './fixtures.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

// Appendices, "Unpadded Base64".
const SPEC_EXAMPLES: Array<[string, string]> = [
  ['', ''],
  ['f', 'Zg'],
  ['fo', 'Zm8'],
  ['foo', 'Zm9v'],
  ['foob', 'Zm9vYg'],
  ['fooba', 'Zm9vYmE'],
  ['foobar', 'Zm9vYmFy'],
];

describe('unpadded base64', () => {
  it.each(SPEC_EXAMPLES)('UNPADDED_BASE64(%j) = %j, and back', (plain, encoded) => {
    expect(encodeBase64(bytes(plain))).toBe(encoded);
    expect(decodeBase64(encoded)).toEqual(bytes(plain));
    expect(encodeBase64Url(bytes(plain))).toBe(encoded);
    expect(decodeBase64Url(encoded)).toEqual(bytes(plain));
  });

  it('accepts correctly padded input, as the spec asks', () => {
    expect(decodeBase64('Zg==')).toEqual(bytes('f'));
    expect(decodeBase64('Zm8=')).toEqual(bytes('fo'));
    expect(decodeBase64Url('Zm8=')).toEqual(bytes('fo'));
  });

  it.each(['Zg=', 'Zm9v=', 'Zm8==', 'Z', 'Zm9vY', 'Z===', '=', 'Zm 9v', 'Zm9v\n', 'Zm9v!'])('rejects malformed %j', (text) => {
    expect(decodeBase64(text)).toBeUndefined();
    expect(decodeBase64Url(text)).toBeUndefined();
  });

  it('uses + and / in the standard alphabet, - and _ in the URL-safe one', () => {
    const data = new Uint8Array([0xfb, 0xff, 0xbf]);
    expect(encodeBase64(data)).toBe('+/+/');
    expect(encodeBase64Url(data)).toBe('-_-_');
    expect(decodeBase64('+/+/')).toEqual(data);
    expect(decodeBase64Url('-_-_')).toEqual(data);
    expect(decodeBase64('-_-_')).toBeUndefined();
    expect(decodeBase64Url('+/+/')).toBeUndefined();
  });

  it('accepts non-zero unused trailing bits (the spec test seed has them)', () => {
    const seed = decodeBase64(SPEC_SEED_BASE64);
    expect(seed?.byteLength).toBe(32);
    expect(encodeBase64(seed as Uint8Array)).not.toBe(SPEC_SEED_BASE64);
  });

  it('encodes subarray views by their own bytes only', () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5]);
    expect(encodeBase64(backing.subarray(1, 3))).toBe(encodeBase64(new Uint8Array([2, 3])));
  });

  it('never pads and round-trips arbitrary bytes in both alphabets', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (data) => {
        const standard = encodeBase64(data);
        const urlSafe = encodeBase64Url(data);
        expect(standard).not.toContain('=');
        expect(urlSafe).not.toMatch(/[=+/]/);
        expect(standard.length).toBe(Math.ceil((data.length * 4) / 3));
        expect(decodeBase64(standard)).toEqual(data);
        expect(decodeBase64Url(urlSafe)).toEqual(data);
        expect(urlSafe).toBe(standard.replaceAll('+', '-').replaceAll('/', '_'));
      }),
    );
  });
});
