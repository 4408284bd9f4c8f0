import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/protocol/canonical-json.ts';
import { hashAndSignEvent } from '../../../src/protocol/event-signing.ts';
import { MAX_PDU_BYTES, validatePdu } from '../../../src/protocol/pdu-validation.ts';
import { ALL_VERSIONS, REAL_V1_NAME_JSON, REAL_V5_CREATE_JSON, specKey } from './fixtures.ts';

type Json = Record<string, unknown>;
const HASH = 'Rqnc-F-dvnEYJTyHq_iKxU2bZ1CI92-kuZq3a5lr5Zg';
const HASH_STD = 'acR1l0raoZnm60CBwAVgqbZqoO/mYU81xysh1u7XcJk';

const isV1Format = (v: string) => v === '1' || v === '2';

/** A well-formed message event for the room version. */
function validPdu(version: string): Json {
  const ref = (n: number) => (version === '3' ? `$${HASH_STD.slice(0, -1)}${n}` : `$${HASH.slice(0, -1)}${n * 4}`);
  const base: Json = {
    room_id: version === '12' ? `!${HASH}` : '!room:example.org',
    sender: '@alice:example.org',
    origin: 'example.org',
    origin_server_ts: 1_700_000_000_000,
    type: 'm.room.message',
    content: { body: 'hello', msgtype: 'm.text' },
    depth: 5,
    prev_events: [ref(1)],
    auth_events: [ref(2), ref(0)],
    hashes: { sha256: 'ThisHashCoversAllFieldsInCaseThisIsRedacted' },
    signatures: { 'example.org': { 'ed25519:1': 'sig' } },
    unsigned: { age: 4612 },
  };
  if (isV1Format(version)) {
    base.event_id = '$abc:example.org';
    base.prev_events = [['$p:example.org', { sha256: 'h' }]];
    base.auth_events = [['$a:example.org', { sha256: 'h' }], ['$b:example.org', { sha256: 'h' }]];
  }
  return base;
}

function v12Create(): Json {
  const { room_id: _r, ...rest } = validPdu('12');
  return { ...rest, type: 'm.room.create', state_key: '', content: { room_version: '12' }, prev_events: [], auth_events: [], depth: 1 };
}

function expectInvalid(pdu: unknown, version: string, reason: RegExp): void {
  const result = validatePdu(pdu, version);
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(reason);
}

describe('validatePdu: well-formed events', () => {
  it.each(ALL_VERSIONS)('accepts a message event in room version %s and returns the same object', (version) => {
    const pdu = validPdu(version);
    const result = validatePdu(pdu, version);
    expect(result).toEqual({ ok: true, pdu });
    if (result.ok) expect(result.pdu).toBe(pdu);
  });

  it('accepts real events and events this server signs', () => {
    expect(validatePdu(JSON.parse(REAL_V1_NAME_JSON), '1').ok).toBe(true);
    expect(validatePdu(JSON.parse(REAL_V5_CREATE_JSON), '5').ok).toBe(true);
    for (const version of ALL_VERSIONS) {
      expect(validatePdu(hashAndSignEvent(validPdu(version), 'example.org', specKey(), version), version).ok).toBe(true);
    }
  });

  it('accepts a v12 create event without room_id, and leaves one with room_id to the auth rules', () => {
    expect(validatePdu(v12Create(), '12').ok).toBe(true);
    expect(validatePdu({ ...v12Create(), room_id: '!x:example.org' }, '12').ok).toBe(true);
    expectInvalid({ ...v12Create(), room_id: 5 }, '12', /room_id is not a string/);
  });

  it('accepts optional fields in their shapes: state_key, redacts (v1–v10), stray event_id (v3+)', () => {
    expect(validatePdu({ ...validPdu('10'), state_key: '' }, '10').ok).toBe(true);
    expect(validatePdu({ ...validPdu('10'), type: 'm.room.redaction', redacts: `$${HASH}` }, '10').ok).toBe(true);
    expect(validatePdu({ ...validPdu('4'), event_id: `$${HASH}` }, '4').ok).toBe(true);
    const { unsigned: _u, origin: _o, ...minimal } = validPdu('11');
    expect(validatePdu(minimal, '11').ok).toBe(true);
  });

  it('accepts historical user IDs as sender', () => {
    for (const sender of ['@Alice:example.org', '@:example.org', '@ä ö:example.org']) {
      expect(validatePdu({ ...validPdu('10'), sender }, '10').ok).toBe(true);
    }
  });
});

describe('validatePdu: size limits', () => {
  const sized = (version: string, bytes: number): Json => {
    const pdu = validPdu(version);
    const base = Buffer.byteLength(canonicalJson({ ...pdu, content: { body: '' } }));
    return { ...pdu, content: { body: 'x'.repeat(bytes - base) } };
  };

  it.each(['1', '10', '12'])('room version %s: exactly 65536 bytes passes, 65537 fails', (version) => {
    expect(Buffer.byteLength(canonicalJson(sized(version, MAX_PDU_BYTES)))).toBe(MAX_PDU_BYTES);
    expect(validatePdu(sized(version, MAX_PDU_BYTES), version).ok).toBe(true);
    expectInvalid(sized(version, MAX_PDU_BYTES + 1), version, /65537 bytes .* limit is 65536/);
  });

  it('counts UTF-8 bytes, signatures and unsigned', () => {
    const pdu = sized('10', MAX_PDU_BYTES - 1);
    expectInvalid({ ...pdu, content: { body: `${(pdu.content as Json).body as string}`.slice(1) + 'éé' } }, '10', /bytes/);
    expectInvalid({ ...pdu, unsigned: { age: 4612, x: 1 } }, '10', /bytes/);
    expectInvalid({ ...pdu, signatures: { 'example.org': { 'ed25519:1': 'sig', 'ed25519:2': 's' } } }, '10', /bytes/);
  });

  const long = (bytes: number, prefix = '') => prefix + 'a'.repeat(bytes - prefix.length);
  it.each([
    ['type', { type: long(256) }, /type exceeds 255 bytes/],
    ['state_key', { state_key: long(256) }, /state_key exceeds 255 bytes/],
    ['state_key in multi-byte characters', { state_key: 'é'.repeat(128) }, /state_key exceeds 255 bytes/],
    ['sender', { sender: `@${'a'.repeat(243)}:example.org` }, /sender exceeds 255 bytes/],
    ['room_id', { room_id: `!${'a'.repeat(243)}:example.org` }, /room_id is not a valid room ID/],
    ['stray event_id', { event_id: long(256, '$') }, /event_id exceeds 255 bytes/],
    ['referenced event ID', { prev_events: [long(256, '$')] }, /prev_events\[0\] is not a valid event ID/],
  ])('%s over 255 bytes', (_name, change, reason) => {
    expectInvalid({ ...validPdu('10'), ...change }, '10', reason);
  });

  it('allows exactly 255 bytes for type and state_key', () => {
    expect(validatePdu({ ...validPdu('10'), type: long(255), state_key: long(255) }, '10').ok).toBe(true);
  });

  it('limits prev_events to 20 and auth_events to 10 entries', () => {
    for (const version of ['1', '4', '12']) {
      const pdu = validPdu(version);
      const prev = (pdu.prev_events as unknown[])[0];
      const auth = (pdu.auth_events as unknown[])[0];
      expect(validatePdu({ ...pdu, prev_events: Array(20).fill(prev), auth_events: Array(10).fill(auth) }, version).ok).toBe(true);
      expectInvalid({ ...pdu, prev_events: Array(21).fill(prev) }, version, /prev_events has 21 entries; the limit is 20/);
      expectInvalid({ ...pdu, auth_events: Array(11).fill(auth) }, version, /auth_events has 11 entries; the limit is 10/);
    }
  });
});

describe('validatePdu: required fields and types', () => {
  const REQUIRED = ['type', 'sender', 'room_id', 'content', 'origin_server_ts', 'depth', 'prev_events', 'auth_events', 'hashes', 'signatures'];

  it.each(ALL_VERSIONS)('room version %s: each required field missing', (version) => {
    const required = isV1Format(version) ? [...REQUIRED, 'event_id'] : REQUIRED;
    for (const key of required) {
      const pdu = validPdu(version);
      delete pdu[key];
      expectInvalid(pdu, version, new RegExp(`^${key} is missing`));
    }
  });

  it.each([
    ['type number', { type: 5 }, /type is not a string/],
    ['sender number', { sender: 5 }, /sender is not a string/],
    ['sender not a user ID', { sender: 'alice' }, /sender is not a valid user ID/],
    ['sender with bad server', { sender: '@alice:bad host' }, /sender is not a valid user ID/],
    ['room_id number', { room_id: 5 }, /room_id is not a string/],
    ['room_id without sigil', { room_id: 'room:example.org' }, /room_id is not a valid room ID/],
    ['room_id in v12 form', { room_id: `!${HASH}` }, /not a valid room ID for room version 10/],
    ['state_key number', { state_key: 0 }, /state_key is not a string/],
    ['state_key null', { state_key: null }, /state_key is not a string/],
    ['content array', { content: [] }, /content is not an object/],
    ['content null', { content: null }, /content is not an object/],
    ['content string', { content: 'x' }, /content is not an object/],
    ['origin_server_ts string', { origin_server_ts: '1' }, /origin_server_ts is not an integer/],
    ['depth string', { depth: '5' }, /depth is not an integer/],
    ['depth null', { depth: null }, /depth is not an integer/],
    ['hashes array', { hashes: [] }, /hashes is not an object/],
    ['hashes without sha256', { hashes: {} }, /hashes.sha256/],
    ['hashes.sha256 number', { hashes: { sha256: 1 } }, /hashes.sha256/],
    ['signatures string', { signatures: 'x' }, /signatures is not an object/],
    ['signatures entry string', { signatures: { 'example.org': 'x' } }, /signatures\["example.org"\] is not an object/],
    ['signature value number', { signatures: { 'example.org': { 'ed25519:1': 1 } } }, /is not a string/],
    ['unsigned array', { unsigned: [] }, /unsigned is not an object/],
    ['redacts number', { redacts: 5 }, /redacts is not a string/],
    ['prev_events object', { prev_events: {} }, /prev_events is not an array/],
    ['prev_events with a number', { prev_events: [5] }, /prev_events\[0\] is not an event ID string/],
    ['prev_events with pairs (v1 shape)', { prev_events: [['$p:example.org', { sha256: 'h' }]] }, /prev_events\[0\] is not an event ID string/],
    ['auth_events ID without sigil', { auth_events: [HASH] }, /auth_events\[0\] is not a valid event ID/],
  ])('%s', (_name, change, reason) => {
    expectInvalid({ ...validPdu('10'), ...change }, '10', reason);
  });

  it('room version 11+ no longer defines a top-level redacts', () => {
    expect(validatePdu({ ...validPdu('11'), redacts: 5 }, '11').ok).toBe(true);
  });

  it.each([
    ['plain string entries', { prev_events: ['$p:example.org'] }, /prev_events\[0\] is not an \[event_id, hashes\] pair/],
    ['pair of one', { prev_events: [['$p:example.org']] }, /pair/],
    ['triple', { auth_events: [['$p:example.org', { sha256: 'h' }, 1]] }, /auth_events\[0\] is not an \[event_id, hashes\] pair/],
    ['pair with non-string ID', { prev_events: [[5, { sha256: 'h' }]] }, /prev_events\[0\]\[0\] is not an event ID string/],
    ['pair with ID lacking sigil', { prev_events: [['p:example.org', { sha256: 'h' }]] }, /prev_events\[0\]\[0\] is not a valid event ID/],
    ['pair with string hash', { prev_events: [['$p:example.org', 'h']] }, /prev_events\[0\]\[1\]/],
    ['pair with hash lacking sha256', { auth_events: [['$p:example.org', {}]] }, /auth_events\[0\]\[1\]/],
    ['event_id number', { event_id: 5 }, /event_id is not a string/],
    ['event_id in hash form', { event_id: `$${HASH}` }, /event_id is not a valid \$opaque:domain event ID/],
    ['event_id without domain', { event_id: '$abc' }, /event_id is not a valid/],
  ])('room versions 1–2: %s', (_name, change, reason) => {
    for (const version of ['1', '2']) expectInvalid({ ...validPdu(version), ...change }, version, reason);
  });

  it('room version 12: non-create events need a hash-form room_id', () => {
    const { room_id: _r, ...withoutRoom } = validPdu('12');
    expectInvalid(withoutRoom, '12', /room_id is missing/);
    expectInvalid({ ...validPdu('12'), room_id: '!room:example.org' }, '12', /not a valid room ID for room version 12/);
  });
});

describe('validatePdu: numbers and canonical JSON', () => {
  it.each(['6', '7', '10', '11', '12'])('room version %s: floats and out-of-range integers anywhere are not canonical', (version) => {
    expectInvalid({ ...validPdu(version), content: { x: 1.5 } }, version, /not canonical JSON: non-integer number at \$\.content\.x/);
    expectInvalid({ ...validPdu(version), depth: 2 ** 53 }, version, /not canonical JSON: integer out of range at \$\.depth/);
    expectInvalid({ ...validPdu(version), origin_server_ts: 1.5e12 + 0.5 }, version, /not canonical JSON/);
    expectInvalid({ ...validPdu(version), unsigned: { age: 0.5 } }, version, /not canonical JSON/);
  });

  it.each(['1', '2', '3', '4', '5'])('room version %s tolerates floats and large integers but not fractional depth', (version) => {
    expect(validatePdu({ ...validPdu(version), content: { users: { '@bob:localhost': 50.57 } } }, version).ok).toBe(true);
    expect(validatePdu({ ...validPdu(version), depth: 2 ** 60 }, version).ok).toBe(true);
    expectInvalid({ ...validPdu(version), depth: 2 ** 63 }, version, /depth exceeds 2\^63 - 1/);
    expectInvalid({ ...validPdu(version), depth: 1.5 }, version, /depth is not an integer/);
    expectInvalid({ ...validPdu(version), origin_server_ts: 1.5 }, version, /origin_server_ts is not an integer/);
  });

  it.each(ALL_VERSIONS)('room version %s: lone surrogates and non-JSON values are refused', (version) => {
    expectInvalid({ ...validPdu(version), content: { body: '\uD800' } }, version, /lone surrogate/);
    expectInvalid({ ...validPdu(version), content: { n: 1n } }, version, /unsupported bigint/);
    expectInvalid({ ...validPdu(version), content: { d: new Date(0) } }, version, /unsupported object/);
    expectInvalid({ ...validPdu(version), content: { n: Number.NaN } }, version, /number/);
  });
});

describe('validatePdu: not a PDU at all', () => {
  it.each([null, undefined, 0, 'pdu', true, [], [validPdu('10')]])('%j', (input) => {
    expectInvalid(input, '10', /PDU is not a JSON object/);
  });

  it.each(['13', '0', '', 'v10', '10 ', '__proto__', 'toString'])('unknown room version %j', (version) => {
    expectInvalid(validPdu('10'), version, /unknown room version/);
  });

  it('never throws, even on hostile objects', () => {
    const hostile = { ...validPdu('10') };
    Object.defineProperty(hostile, 'content', { enumerable: true, get: () => { throw new Error('boom'); } });
    expectInvalid(hostile, '10', /boom/);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    expectInvalid({ ...validPdu('10'), content: deep }, '10', /nested too deeply|bytes/);
  });
});
