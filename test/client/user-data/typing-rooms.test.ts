// TypingRooms, the in-memory typing state of a tenant, with explicit clocks: positions,
// renewals, expiry reported to its callback, forgotten rooms and tokens it cannot place.
import { afterEach, describe, expect, test } from 'vitest';
import { FORGET_EMPTY_ROOM_MS, TypingRooms } from '../../../src/services/typing/typing-rooms.ts';

const T0 = 1_800_000_000_000;
let rooms: TypingRooms | undefined;
afterEach(() => rooms?.close());

function make(): { rooms: TypingRooms; expired: string[][] } {
  const expired: string[][] = [];
  rooms = new TypingRooms(T0, (ids) => expired.push(ids));
  return { rooms, expired };
}

describe('TypingRooms', () => {
  test('positions start at the clock and grow by one per change', () => {
    const { rooms } = make();
    expect(rooms.position).toBe(T0);
    expect(rooms.start('!a', '@u', T0 + 60_000, T0)).toBe(true);
    expect(rooms.position).toBe(T0 + 1);
    // Renewing is no change.
    expect(rooms.start('!a', '@u', T0 + 90_000, T0 + 10)).toBe(false);
    expect(rooms.position).toBe(T0 + 1);
    expect(rooms.stop('!a', '@u', T0 + 20)).toBe(true);
    expect(rooms.stop('!a', '@u', T0 + 30)).toBe(false);
    expect(rooms.position).toBe(T0 + 2);
  });

  test('changedSince: changed rooms with their lists; an initial read only rooms with typers', () => {
    const { rooms } = make();
    rooms.start('!a', '@u', T0 + 60_000, T0);
    rooms.start('!b', '@v', T0 + 60_000, T0);
    const middle = rooms.position;
    rooms.stop('!b', '@v', T0 + 1);
    expect(rooms.changedSince(['!a', '!b', '!c'], T0, T0 + 2)).toEqual(new Map([['!a', ['@u']], ['!b', []]]));
    expect(rooms.changedSince(['!a', '!b', '!c'], middle, T0 + 2)).toEqual(new Map([['!b', []]]));
    expect(rooms.changedSince(['!a', '!b', '!c'], null, T0 + 2)).toEqual(new Map([['!a', ['@u']]]));
  });

  test('expired entries leave the list and are reported', () => {
    const { rooms, expired } = make();
    rooms.start('!a', '@u', T0 + 100, T0);
    rooms.start('!a', '@v', T0 + 60_000, T0);
    const before = rooms.position;
    expect(rooms.typing('!a', T0 + 101)).toEqual(['@v']);
    expect(expired).toEqual([['!a']]);
    expect(rooms.changedSince(['!a'], before, T0 + 101)).toEqual(new Map([['!a', ['@v']]]));
  });

  test('rooms empty for long are forgotten; older tokens then get every room', () => {
    const { rooms } = make();
    rooms.start('!a', '@u', T0 + 60_000, T0);
    rooms.stop('!a', '@u', T0 + 1);
    const old = T0;
    const later = T0 + 1 + FORGET_EMPTY_ROOM_MS + 1;
    expect(rooms.changedSince(['!a', '!b'], old, later)).toEqual(new Map([['!a', []], ['!b', []]]));
    // A current token does not.
    expect(rooms.changedSince(['!a', '!b'], rooms.position, later)).toEqual(new Map());
  });

  test('a token from beyond the current position gets every room', () => {
    const { rooms } = make();
    rooms.start('!a', '@u', T0 + 60_000, T0);
    expect(rooms.changedSince(['!a', '!b'], rooms.position + 1000, T0)).toEqual(new Map([['!a', ['@u']], ['!b', []]]));
  });
});
