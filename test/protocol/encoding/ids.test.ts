import { describe, expect, it } from 'vitest';
import {
  isHistoricalUserId,
  isValidEventId,
  isValidRoomAlias,
  isValidRoomId,
  isValidUserId,
  parseEventId,
  parseRoomAlias,
  parseRoomId,
  parseUserId,
  serverNameOf,
} from '../../../src/protocol/ids.ts';

const HASH_URL = 'Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg'; // rooms/v4.md example
const HASH_STD = 'acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk'; // rooms/v3.md example
const HASH_BOTH = 'CD66HAED5npg6074c6pDtLKalHjVfYb2q4Q3LZgrW6o'; // rooms/v3.md example, neither +/ nor -_

/** An ID of exactly `bytes` UTF-8 bytes: sigil + localpart + ":example.org". */
const idOfBytes = (sigil: string, bytes: number, fill = 'a') => `${sigil}${fill.repeat(bytes - 1 - ':example.org'.length)}:example.org`;

describe('user IDs', () => {
  it.each([
    ['@alice:example.org', 'current'],
    ['@a.b_c=d-e/f+g0:example.org', 'current'],
    ['@alice:example.org:8448', 'current'],
    ['@alice:[1234:5678::abcd]:5678', 'current'],
    ['@alice:1.2.3.4', 'current'],
    ['@Alice:example.org', 'historical-compliant'],
    ['@alice!#$%&*~:example.org', 'historical-compliant'],
    ['@:example.org', 'non-compliant'],
    ['@al ice:example.org', 'non-compliant'],
    ['@ä:example.org', 'non-compliant'],
    ['@\u0001:example.org', 'non-compliant'],
    ['@😀:example.org', 'non-compliant'],
  ])('%j parses as %s', (id, conformance) => {
    expect(parseUserId(id)?.conformance).toBe(conformance);
    expect(isHistoricalUserId(id)).toBe(true);
    expect(isValidUserId(id)).toBe(conformance === 'current');
  });

  it.each([
    ['no sigil', 'alice:example.org'],
    ['wrong sigil', '#alice:example.org'],
    ['no server', '@alice'],
    ['empty server', '@alice:'],
    ['bad server', '@alice:exa mple.org'],
    ['bad port', '@alice:example.org:99999'],
    ['NUL in localpart', '@a\u0000b:example.org'],
    ['lone surrogate', '@\uD800:example.org'],
    ['256 bytes', idOfBytes('@', 256)],
    ['256 bytes in 255 characters', idOfBytes('@', 256).replace('aa', 'é')],
    ['not a string', 42],
  ])('rejects %s', (_name, id) => {
    expect(parseUserId(id)).toBeUndefined();
    expect(isHistoricalUserId(id)).toBe(false);
    expect(isValidUserId(id)).toBe(false);
  });

  it('accepts exactly 255 bytes', () => {
    expect(isValidUserId(idOfBytes('@', 255))).toBe(true);
    expect(Buffer.byteLength(idOfBytes('@', 255).replace('aa', 'é'))).toBe(255);
    expect(isHistoricalUserId(idOfBytes('@', 255).replace('aa', 'é'))).toBe(true);
  });

  it('splits at the first colon and keeps the server name as written', () => {
    expect(parseUserId('@alice:EXAMPLE.org:8448')).toEqual({ localpart: 'alice', serverName: 'EXAMPLE.org:8448', conformance: 'current' });
  });
});

describe('room IDs', () => {
  it.each([
    ['!abc:example.org', { kind: 'domain', localpart: 'abc', serverName: 'example.org' }],
    ['!jEsUZKDJdhlrceRyVU:example.org', { kind: 'domain', localpart: 'jEsUZKDJdhlrceRyVU', serverName: 'example.org' }],
    ['!:example.org', { kind: 'domain', localpart: '', serverName: 'example.org' }],
    ['!a b\u0001ü:example.org', { kind: 'domain', localpart: 'a b\u0001ü', serverName: 'example.org' }],
    [`!${HASH_URL}`, { kind: 'hash', hash: HASH_URL }],
    ['!Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ', { kind: 'hash', hash: 'Nhcu5BS-UMnFX7hBVfVSoXiD7OgH6iRT-xyIuqDnpYQ' }],
  ])('%j', (id, parsed) => {
    expect(parseRoomId(id)).toEqual(parsed);
    expect(isValidRoomId(id)).toBe(true);
  });

  it.each([
    ['no sigil', 'abc:example.org'],
    ['hash with standard alphabet', `!${HASH_STD}`],
    ['short hash', `!${HASH_URL.slice(1)}`],
    ['long hash', `!${HASH_URL}A`],
    ['hash with non-zero trailing bits', `!${HASH_URL.slice(0, -1)}h`],
    ['bad server', '!abc:-bad_host'],
    ['NUL', '!a\u0000:example.org'],
    ['256 bytes', idOfBytes('!', 256)],
    ['not a string', null],
  ])('rejects %s', (_name, id) => {
    expect(parseRoomId(id)).toBeUndefined();
    expect(isValidRoomId(id)).toBe(false);
  });

  it('holds the form to the room version', () => {
    for (const v of ['1', '6', '11']) {
      expect(isValidRoomId('!abc:example.org', v)).toBe(true);
      expect(isValidRoomId(`!${HASH_URL}`, v)).toBe(false);
    }
    expect(isValidRoomId(`!${HASH_URL}`, '12')).toBe(true);
    expect(isValidRoomId('!abc:example.org', '12')).toBe(false);
    expect(isValidRoomId('!abc:example.org', '99')).toBe(false);
    expect(isValidRoomId(idOfBytes('!', 255), '1')).toBe(true);
  });
});

describe('event IDs', () => {
  it.each([
    ['$a4ecee13e2accdadf56c1025:example.com', ['1', '2']],
    ['$0:domain', ['1', '2']],
    [`$${HASH_STD}`, ['3']],
    [`$${HASH_URL}`, ['4', '5', '6', '7', '8', '9', '10', '11', '12']],
    [`$${HASH_BOTH}`, ['3', '4', '5', '6', '7', '8', '9', '10', '11', '12']],
  ])('%j is valid exactly in room versions %j', (id, versions) => {
    for (const v of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12']) {
      expect(isValidEventId(id, v)).toBe(versions.includes(v));
    }
    expect(parseEventId(id)).toBeDefined();
  });

  it.each([
    ['no sigil', HASH_URL],
    ['room sigil', `!${HASH_URL}`],
    ['short hash', `$${HASH_URL.slice(2)}`],
    ['non-canonical last character', `$${HASH_URL.slice(0, -1)}h`],
    ['mixed alphabets', `$+${HASH_URL.slice(1)}`],
    ['v1 form with bad server', '$abc:bad host'],
    ['v1 form over 255 bytes', idOfBytes('$', 256)],
    ['empty', ''],
    ['sigil only', '$'],
  ])('rejects %s', (_name, id) => {
    expect(parseEventId(id)).toBeUndefined();
    for (const v of ['1', '3', '4', '12']) expect(isValidEventId(id, v)).toBe(false);
  });

  it('reports the alphabet of hash IDs', () => {
    expect(parseEventId(`$${HASH_STD}`)).toEqual({ kind: 'hash', hash: HASH_STD, urlSafe: false });
    expect(parseEventId(`$${HASH_URL}`)).toEqual({ kind: 'hash', hash: HASH_URL, urlSafe: true });
    expect(parseEventId('$x:example.org')).toEqual({ kind: 'domain', localpart: 'x', serverName: 'example.org' });
    expect(isValidEventId(`$${HASH_URL}`, 'unknown')).toBe(false);
  });
});

describe('room aliases', () => {
  it.each([
    ['#room:example.org', { localpart: 'room', serverName: 'example.org' }],
    ['#Räum mit Leerzeichen:example.org:8448', { localpart: 'Räum mit Leerzeichen', serverName: 'example.org:8448' }],
    ['#:example.org', { localpart: '', serverName: 'example.org' }],
  ])('%j', (alias, parsed) => {
    expect(parseRoomAlias(alias)).toEqual(parsed);
    expect(isValidRoomAlias(alias)).toBe(true);
  });

  it.each(['#room', 'room:example.org', '#a:b:c', '#a\u0000:example.org', '#\uDC00:example.org', idOfBytes('#', 256), 7])('rejects %j', (alias) => {
    expect(parseRoomAlias(alias)).toBeUndefined();
    expect(isValidRoomAlias(alias)).toBe(false);
  });
});

describe('serverNameOf', () => {
  it.each([
    ['@alice:example.org', 'example.org'],
    ['@Alice:EXAMPLE.ORG', 'EXAMPLE.ORG'],
    ['!abc:example.org:8448', 'example.org:8448'],
    ['#room:[::1]', '[::1]'],
    ['$abc:1.2.3.4', '1.2.3.4'],
    [`$${HASH_URL}`, undefined],
    [`!${HASH_URL}`, undefined],
    ['alice:example.org', undefined],
    ['@alice', undefined],
    ['@alice:bad host', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j → %j', (id, expected) => {
    expect(serverNameOf(id)).toBe(expected);
  });
});
