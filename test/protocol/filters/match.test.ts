// Matching events against EventFilter and RoomEventFilter, field by field, and RoomFilter's
// room lists.
import { describe, expect, it } from 'vitest';
import {
  compileEventFilter,
  compileRoomEventFilter,
  matchesEventFilter,
  matchesRoomEventFilter,
  roomFilterIncludesRoom,
  validateRoomEventFilter,
  type EventFilter,
  type RoomEventFilter,
} from '../../../src/protocol/filters/index.ts';

type Json = Record<string, unknown>;
const ROOM = '!room:example.org';
const ev = (type: string, extra: Json = {}): Json => ({ type, sender: '@bob:example.org', room_id: ROOM, content: {}, ...extra });

describe('no filter, empty filter', () => {
  it('match everything, even non-events', () => {
    for (const value of [ev('m.room.message'), {}, null, 'x', []]) {
      expect(matchesEventFilter(undefined, value)).toBe(true);
      expect(matchesEventFilter({}, value)).toBe(true);
      expect(matchesRoomEventFilter(undefined, value)).toBe(true);
      expect(matchesRoomEventFilter({}, value)).toBe(true);
    }
  });
});

describe('types and not_types', () => {
  const table: Array<[EventFilter, string, boolean]> = [
    [{ types: ['m.room.message'] }, 'm.room.message', true],
    [{ types: ['m.room.message'] }, 'm.room.member', false],
    [{ types: ['m.room.message'] }, 'M.ROOM.MESSAGE', false],
    [{ types: [] }, 'm.room.message', false],
    [{ types: ['*'] }, 'anything', true],
    [{ types: ['m.room.*'] }, 'm.room.message', true],
    [{ types: ['m.room.*'] }, 'm.room.', true],
    [{ types: ['m.room.*'] }, 'm.roomx', false],
    [{ types: ['m.room.*'] }, 'org.m.room.message', false],
    // A star anywhere, not only at the end.
    [{ types: ['m.*.message'] }, 'm.room.message', true],
    [{ types: ['m.*.message'] }, 'm.room.topic', false],
    [{ types: ['*.message'] }, 'org.example.message', true],
    [{ types: ['m.*.*'] }, 'm.a.b', true],
    [{ types: ['m.*.*'] }, 'm.ab', false],
    // `?` has no special meaning in filters.
    [{ types: ['m.room.?'] }, 'm.room.x', false],
    [{ types: ['m.room.?'] }, 'm.room.?', true],
    [{ types: ['m.room.message', 'm.room.member'] }, 'm.room.member', true],
    [{ not_types: ['m.room.member'] }, 'm.room.member', false],
    [{ not_types: ['m.room.member'] }, 'm.room.message', true],
    [{ not_types: ['m.room.*'] }, 'm.room.message', false],
    [{ not_types: ['*'] }, 'm.room.message', false],
    [{ not_types: [] }, 'm.room.message', true],
    // "A matching type will be excluded even if it is listed in the types filter."
    [{ types: ['m.room.message'], not_types: ['m.room.message'] }, 'm.room.message', false],
    [{ types: ['m.room.*'], not_types: ['m.room.member'] }, 'm.room.message', true],
    [{ types: ['m.room.*'], not_types: ['m.room.member'] }, 'm.room.member', false],
    [{ types: ['*'], not_types: ['*'] }, 'x', false],
  ];

  it.each(table)('%j, type %j → %s', (filter, type, expected) => {
    expect(matchesEventFilter(filter, ev(type))).toBe(expected);
    expect(matchesRoomEventFilter(filter, ev(type))).toBe(expected);
  });

  it('an event without a string type is in no list', () => {
    for (const type of [undefined, 5, null, ['m.room.message']]) {
      const event = { ...ev('x'), type };
      expect(matchesEventFilter({ types: ['*'] }, event)).toBe(false);
      expect(matchesEventFilter({ not_types: ['*'] }, event)).toBe(true);
    }
  });
});

describe('senders and not_senders', () => {
  const table: Array<[EventFilter, unknown, boolean]> = [
    [{ senders: ['@bob:example.org'] }, '@bob:example.org', true],
    [{ senders: ['@bob:example.org'] }, '@BOB:example.org', false],
    [{ senders: ['@bob:example.org'] }, '@carol:example.org', false],
    [{ senders: [] }, '@bob:example.org', false],
    // Sender lists are IDs, not globs.
    [{ senders: ['@*:example.org'] }, '@bob:example.org', false],
    [{ not_senders: ['@spam:example.com'] }, '@spam:example.com', false],
    [{ not_senders: ['@spam:example.com'] }, '@bob:example.org', true],
    [{ senders: ['@spam:example.com'], not_senders: ['@spam:example.com'] }, '@spam:example.com', false],
    // Events without a sender (typing, receipts, account data) fail an inclusion list only.
    [{ senders: ['@bob:example.org'] }, undefined, false],
    [{ not_senders: ['@bob:example.org'] }, undefined, true],
    [{ senders: ['@bob:example.org'] }, 42, false],
  ];

  it.each(table)('%j, sender %j → %s', (filter, sender, expected) => {
    const event = { ...ev('m.room.message'), sender };
    if (sender === undefined) delete event['sender'];
    expect(matchesEventFilter(filter, event)).toBe(expected);
    expect(matchesRoomEventFilter(filter, event)).toBe(expected);
  });
});

describe('rooms and not_rooms', () => {
  it.each([
    [{ rooms: [ROOM] }, ROOM, true],
    [{ rooms: [ROOM] }, '!other:example.org', false],
    [{ rooms: [] }, ROOM, false],
    [{ not_rooms: [ROOM] }, ROOM, false],
    [{ not_rooms: [ROOM] }, '!other:example.org', true],
    [{ rooms: [ROOM], not_rooms: [ROOM] }, ROOM, false],
  ] as Array<[RoomEventFilter, string, boolean]>)('%j, room %j → %s', (filter, roomId, expected) => {
    expect(matchesRoomEventFilter(filter, ev('m.room.message', { room_id: roomId }))).toBe(expected);
    // The room can be given separately for events that do not carry it.
    const { room_id: _roomId, ...withoutRoom } = ev('m.typing');
    expect(matchesRoomEventFilter(filter, withoutRoom, roomId)).toBe(expected);
  });

  it('an explicit room ID wins over the event’s own', () => {
    expect(matchesRoomEventFilter({ rooms: ['!b:x'] }, ev('t', { room_id: '!a:x' }), '!b:x')).toBe(true);
  });

  it('an unknown room fails an inclusion list only', () => {
    const { room_id: _roomId, ...noRoom } = ev('m.typing');
    expect(matchesRoomEventFilter({ rooms: [ROOM] }, noRoom)).toBe(false);
    expect(matchesRoomEventFilter({ not_rooms: [ROOM] }, noRoom)).toBe(true);
  });

  it('are not part of EventFilter matching', () => {
    expect(matchesEventFilter({ rooms: [] } as EventFilter, ev('x'))).toBe(true);
  });
});

describe('contains_url', () => {
  const withUrl = ev('m.room.message', { content: { msgtype: 'm.image', body: 'cat.png', url: 'mxc://example.org/abc' } });
  const withoutUrl = ev('m.room.message', { content: { msgtype: 'm.text', body: 'hi' } });
  // "with a url key": the key counts, whatever its value.
  const oddUrl = ev('m.room.message', { content: { url: null } });
  const noContent = { type: 'm.room.message', sender: '@bob:example.org' };
  const urlOutsideContent = ev('m.room.message', { url: 'mxc://x/y' });

  it.each([
    [true, withUrl, true],
    [true, withoutUrl, false],
    [true, oddUrl, true],
    [true, noContent, false],
    [true, urlOutsideContent, false],
    [false, withUrl, false],
    [false, withoutUrl, true],
    [false, oddUrl, false],
    [false, noContent, true],
    [undefined, withUrl, true],
    [undefined, withoutUrl, true],
  ])('contains_url %s', (containsUrl, event, expected) => {
    const filter: RoomEventFilter = containsUrl === undefined ? {} : { contains_url: containsUrl };
    expect(matchesRoomEventFilter(filter, event)).toBe(expected);
  });
});

describe('combined fields', () => {
  it('all must pass', () => {
    const filter: RoomEventFilter = { types: ['m.room.message'], senders: ['@bob:example.org'], rooms: [ROOM], contains_url: false };
    expect(matchesRoomEventFilter(filter, ev('m.room.message'))).toBe(true);
    expect(matchesRoomEventFilter(filter, ev('m.room.member'))).toBe(false);
    expect(matchesRoomEventFilter(filter, ev('m.room.message', { sender: '@carol:x' }))).toBe(false);
    expect(matchesRoomEventFilter(filter, ev('m.room.message', { room_id: '!x:y' }))).toBe(false);
    expect(matchesRoomEventFilter(filter, ev('m.room.message', { content: { url: 'mxc://a/b' } }))).toBe(false);
  });

  it('the spec example timeline filter', () => {
    const result = validateRoomEventFilter({
      limit: 10,
      types: ['m.room.message'],
      not_rooms: ['!726s6s6q:example.com'],
      not_senders: ['@spam:example.com'],
    });
    if (!result.ok) throw new Error(result.error);
    expect(matchesRoomEventFilter(result.filter, ev('m.room.message'))).toBe(true);
    expect(matchesRoomEventFilter(result.filter, ev('m.room.message', { sender: '@spam:example.com' }))).toBe(false);
    expect(matchesRoomEventFilter(result.filter, ev('m.room.message', { room_id: '!726s6s6q:example.com' }))).toBe(false);
    expect(matchesRoomEventFilter(result.filter, ev('m.room.topic'))).toBe(false);
  });
});

describe('compiled predicates', () => {
  it('agree with the one-off matchers', () => {
    const filter: RoomEventFilter = { types: ['m.*'], not_senders: ['@x:y'], contains_url: true };
    const predicate = compileRoomEventFilter(filter);
    const eventPredicate = compileEventFilter(filter);
    for (const event of [ev('m.a', { content: { url: 'u' } }), ev('m.a'), ev('x', { content: { url: 'u' } }), ev('m.a', { sender: '@x:y' })]) {
      expect(predicate(event)).toBe(matchesRoomEventFilter(filter, event));
      expect(eventPredicate(event)).toBe(matchesEventFilter(filter, event));
    }
    expect(compileRoomEventFilter(undefined)(null)).toBe(true);
    expect(compileEventFilter(undefined)(null)).toBe(true);
  });

  it('never read inherited properties of odd events', () => {
    const odd = JSON.parse('{"__proto__": {"type": "m.room.message", "sender": "@a:b"}}') as unknown;
    expect(matchesEventFilter({ types: ['m.room.message'] }, odd)).toBe(false);
    expect(matchesEventFilter({ senders: ['@a:b'] }, odd)).toBe(false);
  });
});

describe('roomFilterIncludesRoom', () => {
  it.each([
    [undefined, ROOM, true],
    [{}, ROOM, true],
    [{ rooms: [ROOM] }, ROOM, true],
    [{ rooms: [ROOM] }, '!other:x', false],
    [{ rooms: [] }, ROOM, false],
    [{ not_rooms: [ROOM] }, ROOM, false],
    [{ not_rooms: [ROOM] }, '!other:x', true],
    [{ rooms: [ROOM], not_rooms: [ROOM] }, ROOM, false],
  ])('%j, %j → %s', (filter, roomId, expected) => {
    expect(roomFilterIncludesRoom(filter, roomId)).toBe(expected);
  });
});
