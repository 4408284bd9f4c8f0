import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eventId,
  roomIdFromCreateEvent,
  tryEventId,
  tryRoomIdFromCreateEvent,
} from '../../../src/protocol/event-id.ts';
import { isValidEventId, isValidRoomId } from '../../../src/protocol/ids.ts';
import { redact } from '../../../src/protocol/redaction.ts';
import { canonicalObject } from './arbitraries.ts';
import {
  MINIMAL_EVENT_SIGNED,
  REAL_V1_NAME_JSON,
  REAL_V5_CREATE_JSON,
  REDACTABLE_EVENT_SIGNED,
  sha256OfText,
  toStandardUnpadded,
  toUrlSafeUnpadded,
} from './fixtures.ts';

describe('eventId: real-world vectors', () => {
  const create = JSON.parse(REAL_V5_CREATE_JSON) as object;

  it('v3 uses standard base64 of the reference hash', () => {
    expect(eventId(create, '3')).toBe('$RrGxF28UrHLmoASHndYb9Jb/1SFww2ptmtur9INS438');
  });

  it.each(['4', '5'])('v%s uses URL-safe base64', (version) => {
    expect(eventId(create, version)).toBe('$RrGxF28UrHLmoASHndYb9Jb_1SFww2ptmtur9INS438');
  });

  it('v1 takes the event_id the origin chose', () => {
    expect(eventId(JSON.parse(REAL_V1_NAME_JSON) as object, '1')).toBe('$yvN1b43rlmcOs5fY:localhost');
  });
});

describe('eventId: vectors derived from the spec signing examples', () => {
  // Redacted forms written out by hand from the redaction rules (see event-hashes.test.ts).
  const minimalV4 = sha256OfText(
    '{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin":"domain","origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}',
  );
  const minimalV11 = sha256OfText(
    '{"auth_events":[],"content":{},"depth":3,"hashes":{"sha256":"5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos"},"origin_server_ts":1000000,"prev_events":[],"room_id":"!x:domain","sender":"@a:domain","type":"X"}',
  );

  it.each([
    ['3', `$${toStandardUnpadded(minimalV4)}`],
    ['4', `$${toUrlSafeUnpadded(minimalV4)}`],
    ['10', `$${toUrlSafeUnpadded(minimalV4)}`],
    ['11', `$${toUrlSafeUnpadded(minimalV11)}`],
    ['12', `$${toUrlSafeUnpadded(minimalV11)}`],
  ])('room version %s', (version, expected) => {
    expect(eventId(MINIMAL_EVENT_SIGNED, version)).toBe(expected);
    expect(isValidEventId(expected, version)).toBe(true);
  });

  it('v1/v2 use event_id even when a hash could be computed', () => {
    expect(eventId(REDACTABLE_EVENT_SIGNED, '1')).toBe('$0:domain');
    expect(eventId(REDACTABLE_EVENT_SIGNED, '2')).toBe('$0:domain');
    expect(eventId(REDACTABLE_EVENT_SIGNED, '3')).not.toBe('$0:domain');
  });
});

describe('eventId: failures', () => {
  it.each([
    ['unknown room version', MINIMAL_EVENT_SIGNED, '13', /unknown room version/],
    ['v1 without event_id', MINIMAL_EVENT_SIGNED, '1', /event_id/],
    ['v2 with numeric event_id', { ...MINIMAL_EVENT_SIGNED, event_id: 5 }, '2', /event_id/],
    ['v6 float in a protected key', { ...MINIMAL_EVENT_SIGNED, depth: 2.5 }, '6', /canonical JSON/],
    ['v12 lone surrogate', { ...MINIMAL_EVENT_SIGNED, sender: '@\uD800:x' }, '12', /canonical JSON/],
  ])('%s', (_name, pdu, version, reason) => {
    const result = tryEventId(pdu, version);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
    expect(() => eventId(pdu, version)).toThrow(reason);
  });

  it('tryEventId never throws on garbage', () => {
    for (const input of [null, undefined, 1, 'x', [], [1]]) {
      expect(tryEventId(input, '10').ok).toBe(false);
      expect(tryEventId(input, '1').ok).toBe(false);
    }
  });

  it('v1–v5 tolerate floats in protected keys', () => {
    expect(tryEventId({ ...MINIMAL_EVENT_SIGNED, depth: 2.5 }, '5').ok).toBe(true);
  });
});

describe('eventId properties', () => {
  const event = fc.record({ content: canonicalObject, extra: canonicalObject }).map(({ content, extra }) => ({
    ...extra,
    ...MINIMAL_EVENT_SIGNED,
    content,
  }));

  it('v3 and v4 IDs differ only in alphabet', () => {
    fc.assert(
      fc.property(event, (e) => {
        const v3 = eventId(e, '3');
        expect(eventId(e, '4')).toBe(v3.replaceAll('+', '-').replaceAll('/', '_'));
        expect(v3).toHaveLength(44);
      }),
    );
  });

  it('the redacted copy has the same ID as the full event', () => {
    fc.assert(
      fc.property(event, fc.constantFrom('3', '4', '6', '9', '11', '12'), (e, version) => {
        expect(eventId(redact(e, version), version)).toBe(eventId(e, version));
      }),
    );
  });
});

describe('roomIdFromCreateEvent (room version 12)', () => {
  const create = {
    type: 'm.room.create',
    state_key: '',
    sender: '@alice:example.org',
    origin: 'example.org',
    content: { room_version: '12', additional_creators: ['@bob:example.org'], 'm.federate': true },
    origin_server_ts: 1700000000000,
    depth: 1,
    prev_events: [],
    auth_events: [],
    hashes: { sha256: 'notARealHashButFixedForTheVector' },
    signatures: { 'example.org': { 'ed25519:a': 'sig' } },
    unsigned: { age: 5 },
  };
  // v11 redaction: create keeps its whole content; origin, signatures, unsigned go.
  const expectedHash = sha256OfText(
    '{"auth_events":[],"content":{"additional_creators":["@bob:example.org"],"m.federate":true,"room_version":"12"},"depth":1,"hashes":{"sha256":"notARealHashButFixedForTheVector"},"origin_server_ts":1700000000000,"prev_events":[],"sender":"@alice:example.org","state_key":"","type":"m.room.create"}',
  );

  it('is "!" + URL-safe reference hash, the create event ID with another sigil', () => {
    const roomId = roomIdFromCreateEvent(create);
    expect(roomId).toBe(`!${toUrlSafeUnpadded(expectedHash)}`);
    expect(roomId.slice(1)).toBe(eventId(create, '12').slice(1));
    expect(isValidRoomId(roomId, '12')).toBe(true);
    expect(roomIdFromCreateEvent(create, '12')).toBe(roomId);
  });

  it('fails for other room versions, other event types and garbage', () => {
    expect(tryRoomIdFromCreateEvent(create, '11')).toMatchObject({ ok: false, reason: expect.stringMatching(/does not derive/) });
    expect(tryRoomIdFromCreateEvent(create, 'x')).toMatchObject({ ok: false });
    expect(tryRoomIdFromCreateEvent({ ...create, type: 'm.room.member' })).toMatchObject({ ok: false, reason: 'not an m.room.create event' });
    expect(tryRoomIdFromCreateEvent(null)).toMatchObject({ ok: false });
    expect(() => roomIdFromCreateEvent(create, '10')).toThrow(/cannot compute room ID/);
  });
});
