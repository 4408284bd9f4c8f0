// Dot-separated property paths (appendices): escaping, and lookups that never leave the
// event's own properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapePropertyName, formatPropertyPath, lookupProperty, parsePropertyPath } from '../../../src/protocol/property-path.ts';

describe('parsePropertyPath', () => {
  it.each([
    ['content.body', ['content', 'body']],
    ['content.m\\.relates_to', ['content', 'm.relates_to']],
    ['content.m\\.relates_to.rel_type', ['content', 'm.relates_to', 'rel_type']],
    ['content.m\\\\foo', ['content', 'm\\foo']],
    // Other escapes are left as-is: a backslash followed by "x".
    ['content.\\x', ['content', '\\x']],
    // A trailing lone backslash is literal.
    ['content.a\\', ['content', 'a\\']],
    // "\\\\." is an escaped backslash then a separator.
    ['a\\\\.b', ['a\\', 'b']],
    ['a\\\\\\.b', ['a\\.b']],
    ['type', ['type']],
    ['', ['']],
    ['a..b', ['a', '', 'b']],
    ['.a', ['', 'a']],
  ])('%j → %j', (path, names) => {
    expect(parsePropertyPath(path)).toEqual(names);
  });

  it('inverts formatPropertyPath for any names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', '.', '\\', 'x', 'é') }), { minLength: 1, maxLength: 5 }), (names) => {
        expect(parsePropertyPath(formatPropertyPath(names))).toEqual(names);
      }),
    );
  });

  it('escapes only dots and backslashes', () => {
    expect(escapePropertyName('m.relates_to')).toBe('m\\.relates_to');
    expect(escapePropertyName('a\\b')).toBe('a\\\\b');
    expect(escapePropertyName('plain')).toBe('plain');
  });
});

describe('lookupProperty', () => {
  const event = {
    content: { 'm.relates_to': { rel_type: 'm.replace' }, list: [{ a: 1 }], nothing: null },
    'dotted.top': 'yes',
  };

  it('walks objects', () => {
    expect(lookupProperty(event, ['content', 'm.relates_to', 'rel_type'])).toBe('m.replace');
    expect(lookupProperty(event, ['dotted.top'])).toBe('yes');
    expect(lookupProperty(event, ['content', 'nothing'])).toBeNull();
  });

  it('answers undefined for missing steps and non-objects', () => {
    expect(lookupProperty(event, ['content', 'missing'])).toBeUndefined();
    expect(lookupProperty(event, ['content', 'list', '0'])).toBeUndefined();
    expect(lookupProperty(event, ['content', 'nothing', 'x'])).toBeUndefined();
    expect(lookupProperty('text', ['length'])).toBeUndefined();
    expect(lookupProperty(null, ['a'])).toBeUndefined();
  });

  it('never reads inherited properties', () => {
    expect(lookupProperty({}, ['constructor'])).toBeUndefined();
    expect(lookupProperty({}, ['__proto__'])).toBeUndefined();
    expect(lookupProperty({ content: {} }, ['content', 'toString'])).toBeUndefined();
    const parsed = JSON.parse('{"__proto__": {"x": "own"}}') as unknown;
    expect(lookupProperty(parsed, ['__proto__', 'x'])).toBe('own');
  });
});
