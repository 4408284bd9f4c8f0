// Properties of filters over random input (fast-check): validation never throws and is
// idempotent, exclusions always win, adding exclusions never admits more events, and
// event_fields only ever keeps what was there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyEventFields,
  matchesRoomEventFilter,
  validateFilter,
  validateRoomEventFilter,
  type RoomEventFilter,
} from '../../../src/protocol/filters/index.ts';

const jsonish = fc.jsonValue({ maxDepth: 3 });
const type = fc.constantFrom('m.room.message', 'm.room.member', 'm.typing', 'org.example.x', 'm.room.', '');
const typePattern = fc.oneof(type, fc.constantFrom('*', 'm.*', 'm.room.*', '*.x', 'm.*.message', '**'));
const sender = fc.constantFrom('@a:x', '@b:x', '@c:y');
const room = fc.constantFrom('!a:x', '!b:x', '!c:y');

const filter: fc.Arbitrary<RoomEventFilter> = fc.record(
  {
    types: fc.array(typePattern, { maxLength: 3 }),
    not_types: fc.array(typePattern, { maxLength: 3 }),
    senders: fc.array(sender, { maxLength: 2 }),
    not_senders: fc.array(sender, { maxLength: 2 }),
    rooms: fc.array(room, { maxLength: 2 }),
    not_rooms: fc.array(room, { maxLength: 2 }),
    contains_url: fc.boolean(),
    limit: fc.nat(100),
  },
  { requiredKeys: [] },
);

const event = fc.record(
  {
    type: fc.oneof(type, jsonish),
    sender: fc.oneof(sender, jsonish),
    room_id: fc.oneof(room, jsonish),
    content: fc.oneof(fc.record({ url: jsonish, body: jsonish }, { requiredKeys: [] }), jsonish),
  },
  { requiredKeys: [] },
);

describe('validation', () => {
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = validateFilter(value);
        if (!result.ok) expect(result.errcode).toBe('M_BAD_JSON');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on near-valid filters', () => {
    const nearly = fc.record(
      {
        event_fields: fc.oneof(fc.array(fc.string()), jsonish),
        event_format: fc.oneof(fc.constantFrom('client', 'federation'), jsonish),
        presence: fc.oneof(filter, jsonish),
        room: fc.oneof(fc.record({ timeline: fc.oneof(filter, jsonish), rooms: fc.oneof(fc.array(room), jsonish) }, { requiredKeys: [] }), jsonish),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(nearly, (value) => {
        expect(typeof validateFilter(value).ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent on what it accepts', () => {
    fc.assert(
      fc.property(filter, (value) => {
        const first = validateRoomEventFilter(value);
        expect(first.ok).toBe(true);
        if (first.ok) expect(validateRoomEventFilter(JSON.parse(JSON.stringify(first.filter)))).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});

describe('matching', () => {
  it('never throws and agrees with each list on its own', () => {
    fc.assert(
      fc.property(filter, event, fc.option(room, { nil: undefined }), (f, ev, roomId) => {
        const all = matchesRoomEventFilter(f, ev, roomId);
        const parts: RoomEventFilter[] = [
          { types: f.types, not_types: f.not_types },
          { senders: f.senders, not_senders: f.not_senders },
          { rooms: f.rooms, not_rooms: f.not_rooms },
          f.contains_url === undefined ? {} : { contains_url: f.contains_url },
        ];
        expect(all).toBe(parts.every((part) => matchesRoomEventFilter(part, ev, roomId)));
      }),
      { numRuns: 500 },
    );
  });

  it('an event whose type, sender or room is excluded never matches', () => {
    fc.assert(
      fc.property(filter, type, sender, room, (f, t, s, r) => {
        const ev = { type: t, sender: s, room_id: r, content: {} };
        expect(matchesRoomEventFilter({ ...f, not_types: [...(f.not_types ?? []), t] }, ev)).toBe(false);
        expect(matchesRoomEventFilter({ ...f, not_senders: [...(f.not_senders ?? []), s] }, ev)).toBe(false);
        expect(matchesRoomEventFilter({ ...f, not_rooms: [...(f.not_rooms ?? []), r] }, ev)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('adding an exclusion never admits more; adding an inclusion never admits fewer', () => {
    fc.assert(
      fc.property(filter, typePattern, event, (f, extra, ev) => {
        const base = matchesRoomEventFilter(f, ev);
        if (!base) expect(matchesRoomEventFilter({ ...f, not_types: [...(f.not_types ?? []), extra] }, ev)).toBe(false);
        if (base && f.types) expect(matchesRoomEventFilter({ ...f, types: [...f.types, extra] }, ev)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('event_fields', () => {
  const path = fc.array(fc.constantFrom('content', 'body', 'a', 'm\\.x', 'type', '__proto__'), { minLength: 1, maxLength: 3 }).map((names) => names.join('.'));

  /** Every leaf of `picked` is found, identical, at the same place in `source`. */
  function isSubset(picked: unknown, source: unknown): boolean {
    if (typeof picked !== 'object' || picked === null || Array.isArray(picked)) return picked === source;
    if (typeof source !== 'object' || source === null) return false;
    return Object.keys(picked).every(
      (key) => Object.hasOwn(source, key) && ((picked as Record<string, unknown>)[key] === (source as Record<string, unknown>)[key] || isSubset((picked as Record<string, unknown>)[key], (source as Record<string, unknown>)[key])),
    );
  }

  it('only keeps what the event has', () => {
    const object = fc.dictionary(fc.constantFrom('content', 'body', 'a', 'm.x', 'type', '__proto__'), jsonish, { maxKeys: 4, noNullPrototype: true });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('content', 'type', 'a'), fc.oneof(object, jsonish), { noNullPrototype: true }), fc.array(path, { maxLength: 4 }), (ev, fields) => {
        const out = applyEventFields(ev, fields);
        expect(isSubset(out, ev)).toBe(true);
        expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      }),
      { numRuns: 500 },
    );
  });
});
