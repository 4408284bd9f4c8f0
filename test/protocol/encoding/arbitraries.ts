// fast-check arbitraries for values canonical JSON can carry.
import fc from 'fast-check';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Any code point (no lone surrogates), so strings exercise escaping and astral ordering. */
export const jsonString = fc.string({ unit: 'binary', maxLength: 12 });

/** Keys drawn to collide in interesting ways: ASCII, BMP above the surrogates, astral. */
export const jsonKey = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('\uE000', '\uFFFF', '\u{1F600}', '\u{10000}', 'a', 'A', '', '__proto__', 'constructor'),
);

export const safeInteger = fc.oneof(fc.integer(), fc.integer({ min: -MAX_SAFE, max: MAX_SAFE }), fc.constantFrom(MAX_SAFE, -MAX_SAFE, 0));

/** Values within strict canonical JSON (integers only, in range). */
export const canonicalValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    safeInteger,
    jsonString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(jsonKey, tie('value'), { maxKeys: 6, noNullPrototype: true }),
  ),
})).value;

export const canonicalObject: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(jsonKey, canonicalValue, {
  maxKeys: 6,
  noNullPrototype: true,
});
