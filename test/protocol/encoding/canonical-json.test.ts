import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CanonicalJsonError,
  canonicalJson,
  canonicalJsonLenient,
  canonicalJsonOfMembers,
  canonicalMember,
  compareCodePoints,
} from '../../../src/protocol/canonical-json.ts';
import { canonicalObject, canonicalValue, jsonString } from './arbitraries.ts';

// Appendices, "Canonical JSON" → "Examples": [input JSON text, expected canonical JSON].
const SPEC_EXAMPLES: Array<[string, string]> = [
  ['{}', '{}'],
  ['{\n    "one": 1,\n    "two": "Two"\n}', '{"one":1,"two":"Two"}'],
  ['{\n    "b": "2",\n    "a": "1"\n}', '{"a":"1","b":"2"}'],
  ['{"b":"2","a":"1"}', '{"a":"1","b":"2"}'],
  [
    `{
    "auth": {
        "success": true,
        "mxid": "@john.doe:example.com",
        "profile": {
            "display_name": "John Doe",
            "three_pids": [
                {
                    "medium": "email",
                    "address": "john.doe@example.org"
                },
                {
                    "medium": "msisdn",
                    "address": "123456789"
                }
            ]
        }
    }
}`,
    '{"auth":{"mxid":"@john.doe:example.com","profile":{"display_name":"John Doe","three_pids":[{"address":"john.doe@example.org","medium":"email"},{"address":"123456789","medium":"msisdn"}]},"success":true}}',
  ],
  ['{\n    "a": "日本語"\n}', '{"a":"日本語"}'],
  ['{\n    "本": 2,\n    "日": 1\n}', '{"日":1,"本":2}'],
  ['{\n    "a": "\\u65E5"\n}', '{"a":"日"}'],
  ['{\n    "a": null\n}', '{"a":null}'],
  ['{\n    "a": -0,\n    "b": 1e10\n}', '{"a":0,"b":10000000000}'],
];

/** Oracle independent of the implementation: keys sorted by UTF-8 bytes (= code point order),
 * serialised directly (JS objects always enumerate integer-like keys first, so re-ordering an
 * object and calling JSON.stringify cannot express canonical order). */
function oracle(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oracle).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${oracle(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson: spec examples', () => {
  it.each(SPEC_EXAMPLES)('%s', (input, expected) => {
    expect(canonicalJson(JSON.parse(input))).toBe(expected);
  });
});

describe('canonicalJson: string escaping follows the spec grammar', () => {
  const SHORT: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r' };
  const controls = Array.from({ length: 0x20 }, (_, code) => code);

  it.each(controls)('control U+%i uses its dedicated or lower-case \\u00XX escape', (code) => {
    const expected = SHORT[code] ?? `\\u00${code.toString(16).padStart(2, '0')}`;
    expect(canonicalJson(String.fromCharCode(code))).toBe(`"${expected}"`);
  });

  it('escapes only " and \\ among printable ASCII', () => {
    expect(canonicalJson('"')).toBe('"\\""');
    expect(canonicalJson('\\')).toBe('"\\\\"');
    for (let code = 0x20; code < 0x7f; code++) {
      const ch = String.fromCharCode(code);
      if (ch === '"' || ch === '\\') continue;
      expect(canonicalJson(ch)).toBe(`"${ch}"`);
    }
  });

  it('writes DEL, U+2028/U+2029, non-ASCII and astral characters literally, as UTF-8', () => {
    expect(canonicalJson('\u007f')).toBe('"\u007f"');
    expect(canonicalJson('\u2028\u2029')).toBe('"\u2028\u2029"');
    expect(canonicalJson('/é日😀')).toBe('"/é日😀"');
    expect(Buffer.from(canonicalJson('😀'), 'utf8')).toEqual(Buffer.from([0x22, 0xf0, 0x9f, 0x98, 0x80, 0x22]));
  });

  it('refuses lone surrogates in values and keys (no UTF-8 form)', () => {
    expect(() => canonicalJson('\uD800')).toThrow(CanonicalJsonError);
    expect(() => canonicalJson('a\uDC00b')).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ '\uD83D': 1 })).toThrow(CanonicalJsonError);
    expect(() => canonicalJsonLenient('\uD800')).toThrow(CanonicalJsonError);
    expect(canonicalJson('\uD83D\uDE00')).toBe('"😀"');
  });

  it('every encoded string matches the grammar: only spec escapes, nothing else escaped', () => {
    // eslint-disable-next-line no-control-regex -- the grammar is about control characters
    const GRAMMAR = /^"(?:[^"\\\u0000-\u001f]|\\[btnfr"\\]|\\u000[0-7bef]|\\u001[0-9a-f])*"$/u;
    fc.assert(
      fc.property(jsonString, (text) => {
        const encoded = canonicalJson(text);
        expect(encoded).toMatch(GRAMMAR);
        expect(JSON.parse(encoded)).toBe(text);
      }),
    );
  });
});

describe('canonicalJson: key order is Unicode code point order', () => {
  it('puts U+E000 before U+1F600 although UTF-16 code units order them the other way', () => {
    expect('\uE000' < '\uD83D\uDE00').toBe(false);
    expect(canonicalJson({ '\uD83D\uDE00': 1, '\uE000': 2 })).toBe('{"\uE000":2,"\uD83D\uDE00":1}');
    expect(canonicalJson({ '\u{10000}': 1, '\uFFFF': 2 })).toBe('{"\uFFFF":2,"\u{10000}":1}');
  });

  it('orders integer-like keys as strings, not in JS enumeration order', () => {
    expect(canonicalJson({ 10: 1, 9: 2, '': 3, a: 4, '-1': 5 })).toBe('{"":3,"-1":5,"10":1,"9":2,"a":4}');
  });

  it('orders upper case before lower case, prefixes first, and mixed keys consistently', () => {
    expect(canonicalJson({ b: 1, a: 2, B: 3, ab: 4, '': 5 })).toBe('{"":5,"B":3,"a":2,"ab":4,"b":1}');
    expect(canonicalJson({ 'a\uE000': 1, 'a\u{1F600}': 2, aZ: 3 })).toBe('{"aZ":3,"a\uE000":1,"a\u{1F600}":2}');
  });

  it('compareCodePoints agrees with UTF-8 byte order', () => {
    fc.assert(
      fc.property(jsonString, jsonString, (a, b) => {
        expect(Math.sign(compareCodePoints(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });
});

describe('canonicalJson: numbers', () => {
  it('accepts integers up to ±(2^53 − 1) and writes them without exponent', () => {
    expect(canonicalJson(2 ** 53 - 1)).toBe('9007199254740991');
    expect(canonicalJson(-(2 ** 53 - 1))).toBe('-9007199254740991');
    expect(canonicalJson(1e15)).toBe('1000000000000000');
    expect(canonicalJson(-0)).toBe('0');
    expect(canonicalJson([0, -0, 1, -1])).toBe('[0,0,1,-1]');
  });

  it.each([2 ** 53, -(2 ** 53), 1e20, -1e300])('rejects out-of-range integer %d', (value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ nested: [value] })).toThrow(/out of range at \$\.nested\[0\]/);
  });

  it.each([1.5, -0.1, 1e-7, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('rejects non-integer %d', (value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: { b: value } })).toThrow(CanonicalJsonError);
  });
});

describe('canonicalJson: values outside JSON', () => {
  it('omits undefined properties like JSON.stringify but refuses undefined array items', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson([1, undefined])).toThrow(CanonicalJsonError);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonicalJson([1, , 2])).toThrow(CanonicalJsonError);
  });

  it.each([
    ['bigint', 1n],
    ['function', () => 1],
    ['symbol', Symbol('x')],
    ['undefined', undefined],
    ['Date', new Date(0)],
    ['Map', new Map()],
    ['class instance', new (class Thing {})()],
    ['Uint8Array', new Uint8Array(1)],
  ])('refuses %s', (_name, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ v: value === undefined ? null : value, w: [value] })).toThrow(CanonicalJsonError);
  });

  it('accepts null-prototype objects and keeps a "__proto__" own key', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.z = 1;
    bare.a = 2;
    expect(canonicalJson(bare)).toBe('{"a":2,"z":1}');
    expect(canonicalJson(JSON.parse('{"__proto__":{"x":1},"a":1}'))).toBe('{"__proto__":{"x":1},"a":1}');
  });

  it('encodes top-level scalars', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson([])).toBe('[]');
  });

  it('reports absurd nesting as CanonicalJsonError, not a stack overflow', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(CanonicalJsonError);
  });
});

describe('canonicalJson: properties', () => {
  it('is idempotent through JSON.parse and round-trips the value', () => {
    fc.assert(
      fc.property(canonicalValue, (value) => {
        const once = canonicalJson(value);
        expect(canonicalJson(JSON.parse(once))).toBe(once);
        expect(JSON.parse(once)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });

  it('equals JSON.stringify of the value with keys sorted by UTF-8 bytes', () => {
    fc.assert(
      fc.property(canonicalValue, (value) => {
        expect(canonicalJson(value)).toBe(oracle(value));
      }),
    );
  });

  it('does not depend on key insertion order', () => {
    fc.assert(
      fc.property(canonicalObject, (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
      }),
    );
  });
});

describe('canonicalJsonLenient (room versions 1–5)', () => {
  // Expected strings produced by Python's json.dumps, as the senders of old events wrote them.
  const PYTHON_FLOATS: Array<[number, string]> = [
    [50.57, '50.57'],
    [0.1, '0.1'],
    [1.5, '1.5'],
    [-2.5, '-2.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [123456.789, '123456.789'],
    [5.114698e4, '51146.98'],
    [1e-300, '1e-300'],
    [5e-324, '5e-324'],
    [-0.000123, '-0.000123'],
    [2.5e-5, '2.5e-05'],
    [0.1 + 0.2, '0.30000000000000004'],
    [4503599627370495.5, '4503599627370495.5'],
    [1234567890123.25, '1234567890123.25'],
    [99.99, '99.99'],
  ];

  it.each(PYTHON_FLOATS)('writes the float %d as %s', (value, expected) => {
    expect(canonicalJsonLenient(value)).toBe(expected);
    expect(canonicalJsonLenient({ users: { '@bob:localhost': value } })).toBe(`{"users":{"@bob:localhost":${expected}}}`);
  });

  it('writes integers beyond 2^53 as their exact value, -0 as 0', () => {
    expect(canonicalJsonLenient(2 ** 60)).toBe('1152921504606846976');
    expect(canonicalJsonLenient(-(2 ** 53))).toBe('-9007199254740992');
    expect(canonicalJsonLenient(1e21)).toBe('1000000000000000000000');
    expect(canonicalJsonLenient(-0)).toBe('0');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY])('still refuses %d', (value) => {
    expect(() => canonicalJsonLenient(value)).toThrow(CanonicalJsonError);
  });

  it('agrees with the strict form on everything the strict form accepts', () => {
    fc.assert(
      fc.property(canonicalValue, (value) => {
        expect(canonicalJsonLenient(value)).toBe(canonicalJson(value));
      }),
    );
  });

  it('round-trips any finite double through JSON.parse', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(JSON.parse(canonicalJsonLenient(value))).toBe(Object.is(value, -0) ? 0 : value);
      }),
    );
  });
});

describe('objects assembled from members encoded once', () => {
  it('equal canonicalJson of the object, whatever its keys and values', () => {
    fc.assert(
      fc.property(canonicalObject, (object) => {
        const members = new Map(Object.entries(object).map(([key, value]) => [key, canonicalMember(key, value)]));
        expect(canonicalJsonOfMembers(members)).toBe(canonicalJson(object));
      }),
    );
    // Code point order, not UTF-16 order, for keys beyond the BMP.
    const object = { '\uFB01': 1, '\uD83D\uDE00': 2, a: 3 };
    const members = new Map(Object.entries(object).map(([key, value]) => [key, canonicalMember(key, value)]));
    expect(canonicalJsonOfMembers(members)).toBe(canonicalJson(object));
  });

  it('a member that cannot be encoded names its path from the object', () => {
    expect(() => canonicalMember('content', { list: [1, 2.5] })).toThrow(/non-integer number at \$\.content\.list\[1\]$/);
    expect(() => canonicalMember('content', { '\uD800': 1 })).toThrow(/lone surrogate in string at \$\.content key$/);
    // A member's own key is reported as canonicalJson reports it for the whole object.
    expect(() => canonicalMember('\uD800', 1)).toThrow(/lone surrogate in string at \$ key$/);
    expect(() => canonicalJson({ '\uD800': 1 })).toThrow(/lone surrogate in string at \$ key$/);
    expect(() => canonicalJson({ a: [{ b: undefined }, undefined] })).toThrow(/undefined at \$\.a\[1\]$/);
  });
});
