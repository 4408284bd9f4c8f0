// The glob engine (appendices "Glob-style matching") and case folding: spec semantics, the
// edge cases the spec leaves open (decided in src/protocol/glob.ts), agreement with a regex
// reference on small inputs, and linear behaviour on inputs that make regexes backtrack.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCase } from '../../../src/protocol/case-fold.ts';
import { compileGlob, compileLiteral, globMatches, matchesWhole, matchesWordBounded } from '../../../src/protocol/glob.ts';

const ci = (pattern: string) => compileGlob(pattern, { caseInsensitive: true });
const whole = (pattern: string, text: string) => globMatches(ci(pattern), text);
const words = (pattern: string, text: string) => matchesWordBounded(ci(pattern), foldCase(text), text);

describe('whole-value matching', () => {
  it.each([
    // The spec's event_match example: key content.topic, pattern lunc?*.
    ['lunc?*', 'Lunch plans', true],
    ['lunc?*', 'LUNCH', true],
    ['lunc?*', ' lunch', false],
    ['lunc?*', 'lunc', false],
    ['*', '', true],
    ['*', 'anything at all', true],
    ['', '', true],
    ['', 'x', false],
    ['?', '', false],
    ['?', 'x', true],
    ['?', 'xy', false],
    ['??', 'xy', true],
    ['a*b', 'ab', true],
    ['a*b', 'a-long-way-b', true],
    ['a*b', 'a-long-way-bc', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'acb', false],
    ['*a*', 'bab', true],
    ['**', 'x', true],
    ['a**b', 'ab', true],
    ['m.room.*', 'm.room.message', true],
    ['m.room.*', 'm.roomx', false],
    // `.` is literal, not "any character".
    ['m.room', 'mxroom', false],
    // No character classes or escapes in the spec: `[`, `]` and `\` are literal.
    ['[ab]', 'a', false],
    ['[ab]', '[AB]', true],
    ['a\\*', 'a\\anything', true],
    ['a\\*', 'a*', false],
    ['\\?', '\\x', true],
    // `*` also spans line breaks: it matches "zero or more characters", whatever they are.
    ['a*b', 'a\n\nb', true],
    // `?` is one code point, astral ones included.
    ['?', '😀', true],
    ['??', '😀', false],
    ['a?c', 'a😀c', true],
    ['*😀', 'x😀', true],
    ['😀?', '😀😀', true],
    // Case-insensitive beyond ASCII.
    ['ÉCOLE', 'école', true],
    ['straße', 'STRAßE', true],
    ['ΣΟΦΙΑ', 'σοφια', true],
  ])('%j against %j → %s', (pattern, text, expected) => {
    expect(whole(pattern, text)).toBe(expected);
  });

  it('is case-sensitive unless asked otherwise', () => {
    expect(globMatches(compileGlob('m.room.*'), 'M.ROOM.MESSAGE')).toBe(false);
    expect(globMatches(compileGlob('m.room.*'), 'm.room.message')).toBe(true);
  });

  it('can treat ? literally (filters)', () => {
    const glob = compileGlob('what?*', { questionMark: false });
    expect(globMatches(glob, 'what?now')).toBe(true);
    expect(globMatches(glob, 'whatsnow')).toBe(false);
  });

  it('compiles literals without wildcards', () => {
    const literal = compileLiteral('a*b?', { caseInsensitive: true });
    expect(matchesWhole(literal, foldCase('A*B?'))).toBe(true);
    expect(matchesWhole(literal, 'axxb!')).toBe(false);
  });
});

describe('word-bounded matching (content.body)', () => {
  it.each([
    // The spec's example: pattern ex*ple.
    ['ex*ple', 'An example event.', true],
    ['ex*ple', 'exple', true],
    ['ex*ple', 'An exciting triple-whammy', true],
    ['ex*ple', 'An examples event', false],
    ['ex*ple', 'Anexample', false],
    ['cake', 'I like cake', true],
    ['cake', 'I like CAKE!', true],
    ['cake', 'I like cakes', false],
    ['cake', 'pancake', false],
    ['cake', 'cake_shop', false],
    ['cake', 'cake2', false],
    ['cake', 'cake-shop', true],
    ['cake', '(cake)', true],
    ['cake', 'cake', true],
    ['cake*lie', 'the cake is a lie', true],
    ['cake*lie', 'the cake is a lie!', true],
    ['cake*lie', 'the cake is a liar', false],
    ['cake*lie', 'cakes lie', true],
    ['cake*lie', 'pancake is a lie', false],
    // Boundaries are judged on ASCII word characters only: é is a boundary character.
    ['caf', 'café', true],
    ['é', 'café', false],
    ['é', 'caf é', true],
    // The Kelvin sign folds to "k", yet is not a word character of the original text.
    ['ok', 'o\u212A!', true],
    ['o', 'o\u212A', true],
    ['?', 'a b', true],
    ['?', 'ab', false],
    ['*', '', true],
    ['*', 'word', true],
    ['*b', 'ab cd', true],
    ['b*', 'ab cd', false],
    ['a?c*x', 'xx abc yyy x', true],
    ['a?c*x', 'xx abc yyy xz', false],
    ['@room', 'hello @room', true],
    // The character before "@" is a word character, so this substring does not start at a
    // boundary (Synapse's regex, which also allows \b, would match it).
    ['@room', 'hello@room', false],
  ])('%j in %j → %s', (pattern, text, expected) => {
    expect(words(pattern, text)).toBe(expected);
  });
});

describe('foldCase', () => {
  it('keeps the UTF-16 length of every code point', () => {
    for (const text of ['İstanbul', 'ΣΟΣ', 'K\u212A', '𐐀𐐁', 'ABC', 'ß']) {
      expect(foldCase(text)).toHaveLength(text.length);
    }
  });

  it('folds each character on its own (no final-sigma context)', () => {
    expect(foldCase('ΟΔΟΣ')).toBe('οδοσ');
    expect('ΟΔΟΣ'.toLowerCase()).toBe('οδος');
  });

  it('leaves characters whose lower case would change length', () => {
    expect(foldCase('İ')).toBe('İ');
  });

  it('handles lone surrogates', () => {
    expect(foldCase('\uD800A')).toBe('\uD800a');
  });
});

// A reference for small inputs: the glob as a regular expression (safe at these sizes).
function referenceRegex(pattern: string, wordBounded: boolean): RegExp {
  let source = '';
  for (const char of pattern) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  }
  const body = wordBounded ? `(?:^|(?<=[^A-Za-z0-9_]))(?:${source})(?=[^A-Za-z0-9_]|$)` : `^(?:${source})$`;
  return new RegExp(body, 'su');
}

const alphabet = fc.constantFrom('a', 'b', 'A', '_', ' ', '-', '1', '😀');
const smallText = fc.array(alphabet, { maxLength: 10 }).map((chars) => chars.join(''));
const smallPattern = fc.array(fc.constantFrom('a', 'b', '*', '?', ' ', '_', '😀'), { maxLength: 6 }).map((chars) => chars.join(''));

describe('agreement with a regex reference', () => {
  it('whole-value matching', () => {
    fc.assert(
      fc.property(smallPattern, smallText, (pattern, text) => {
        const expected = referenceRegex(foldCase(pattern), false).test(foldCase(text));
        expect(whole(pattern, text)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('word-bounded matching', () => {
    fc.assert(
      fc.property(smallPattern, smallText, (pattern, text) => {
        const expected = referenceRegex(foldCase(pattern), true).test(foldCase(text));
        expect(words(pattern, text)).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('long segments (searched with the bit-parallel automaton)', () => {
  const long = 'x'.repeat(40);

  it('match literals longer than one machine word', () => {
    expect(words(long, `a ${long} b`)).toBe(true);
    expect(words(long, `a ${long}x b`)).toBe(false);
    expect(words(`${long}*end`, `${long} and the end`)).toBe(true);
    expect(whole(`*${long}*`, `aa${long.toUpperCase()}bb`)).toBe(true);
  });

  it('match `?` at every word position, including across the 32-bit boundary', () => {
    for (let i = 0; i < 70; i++) {
      const pattern = 'a'.repeat(i) + '?' + 'a'.repeat(69 - i);
      const text = 'a'.repeat(i) + 'B' + 'a'.repeat(69 - i);
      expect(words(pattern, `- ${text} -`)).toBe(true);
      expect(words(pattern, `- ${text}a -`)).toBe(false);
      expect(whole(pattern, 'a'.repeat(i) + '😀' + 'a'.repeat(69 - i))).toBe(true);
    }
  });

  it('agree with the regex reference', () => {
    const longPattern = fc.array(fc.constantFrom('a', 'b', '?'), { minLength: 30, maxLength: 80 }).map((chars) => chars.join(''));
    const longText = fc.array(fc.constantFrom('a', 'b', ' ', 'A', '😀'), { maxLength: 120 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(longPattern, fc.boolean(), longText, (pattern, star, text) => {
        const glob = star ? `${pattern.slice(0, 20)}*${pattern.slice(20)}` : pattern;
        expect(words(glob, text)).toBe(referenceRegex(foldCase(glob), true).test(foldCase(text)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('performance on adversarial input', () => {
  // As a backtracking regex, `*a*a*a*a*b` against 64 KiB of "a" would not finish.
  const body = 'a'.repeat(65_536);

  it('whole-value matching stays fast', () => {
    const start = performance.now();
    expect(whole('*a*a*a*a*a*a*b', body)).toBe(false);
    expect(whole('a*a*a*a*a*a*a', body)).toBe(true);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('word-bounded matching stays fast', () => {
    const start = performance.now();
    expect(words('a*a*a*a*a*a*b', body)).toBe(false);
    expect(words('a*a*a*a*a*a*b', 'a '.repeat(30_000))).toBe(false);
    expect(words('?*?*?*?*b', 'a '.repeat(30_000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });

  it('long and `?`-heavy patterns cost one pass, not text × pattern', () => {
    // Trying every start in turn took ~0.5 s for `a?a?…` (1,024 characters) on this body.
    const start = performance.now();
    for (const pattern of ['a?'.repeat(512) + 'b', '?' + 'a'.repeat(1022) + 'b', 'a'.repeat(1024), '*' + 'a'.repeat(1023) + 'b*']) {
      words(pattern, body);
      whole(pattern, body);
    }
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
