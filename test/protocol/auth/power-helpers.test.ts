// The power helpers shared with state resolution: userPowerLevel, powerLevelRequiredFor,
// parsePowerLevels / parsePowerLevelValue, roomCreators.
import { describe, expect, it } from 'vitest';
import { parsePowerLevels, parsePowerLevelValue, powerLevelRequiredFor, roomCreators, userPowerLevel } from '../../../src/protocol/auth/index.ts';
import { ALICE, ALL, BOB, CAROL, bareRoom, between, from, room, upTo, isV12 } from './table.ts';

describe('parsePowerLevelValue', () => {
  // [value, v1–v5, v6–v9, v10+]; undefined = not a power level in that version.
  const table: Array<[unknown, number | undefined, number | undefined, number | undefined]> = [
    [50, 50, 50, 50],
    [-50, -50, -50, -50],
    [0, 0, 0, 0],
    [-0, 0, 0, 0],
    ['50', 50, 50, undefined],
    ['+50', 50, 50, undefined],
    ['-50', -50, -50, undefined],
    ['000100', 100, 100, undefined],
    [' 100 ', 100, 100, undefined],
    [' \t+0100\n', 100, 100, undefined],
    ['-0', 0, 0, undefined],
    ['50.0', undefined, undefined, undefined],
    ['5e1', undefined, undefined, undefined],
    ['0x10', undefined, undefined, undefined],
    ['+-1', undefined, undefined, undefined],
    ['', undefined, undefined, undefined],
    [' ', undefined, undefined, undefined],
    ['1 2', undefined, undefined, undefined],
    ['٥', undefined, undefined, undefined], // Arabic-Indic five: not a base 10 ASCII digit
    ['9'.repeat(400), undefined, undefined, undefined],
    [50.57, 50, undefined, undefined],
    [-50.57, -50, undefined, undefined],
    [0.5, 0, undefined, undefined],
    [-0.5, 0, undefined, undefined],
    [5.114698e4, 51146, undefined, undefined],
    [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    [Number.MAX_SAFE_INTEGER + 1, Number.MAX_SAFE_INTEGER + 1, undefined, undefined],
    [1e300, 1e300, undefined, undefined],
    [Infinity, undefined, undefined, undefined],
    [-Infinity, undefined, undefined, undefined],
    [NaN, undefined, undefined, undefined],
    [null, undefined, undefined, undefined],
    [true, undefined, undefined, undefined],
    [[50], undefined, undefined, undefined],
    [{ level: 50 }, undefined, undefined, undefined],
    [undefined, undefined, undefined, undefined],
  ];
  for (const v of ALL) {
    const column = Number(v) <= 5 ? 1 : Number(v) <= 9 ? 2 : 3;
    it.each(table.map((row) => [row[0], row[column]] as const))(`v${v}: %j → %j`, (value, expected) => {
      const parsed = parsePowerLevelValue(value, v);
      expect(parsed).toBe(expected);
      if (parsed !== undefined) expect(Object.is(parsed, -0)).toBe(false);
    });
  }
});

describe('parsePowerLevels', () => {
  it.each(ALL)('v%s: defaults', (v) => {
    expect(parsePowerLevels({}, v)).toMatchObject({ present: true, usersDefault: 0, eventsDefault: 0, stateDefault: 50, ban: 50, kick: 50, invite: 0, redact: 50 });
    expect(parsePowerLevels(null, v)).toMatchObject({ present: true, stateDefault: 50 });
  });
  it.each(ALL)('v%s: values and maps', (v) => {
    const levels = parsePowerLevels({ users: { [BOB]: 20, [CAROL]: 'x' }, events: { 'm.room.name': 60 }, notifications: { room: 30 }, ban: 70, kick: 'junk' }, v);
    expect(levels.users.get(BOB)).toBe(20);
    expect(levels.users.has(CAROL)).toBe(false);
    expect(levels.events.get('m.room.name')).toBe(60);
    expect(levels.notifications.get('room')).toBe(30);
    expect(levels.ban).toBe(70);
    expect(levels.kick).toBe(50);
  });
  it.each(ALL)('v%s: keys that are Object.prototype names are data, not inherited', (v) => {
    const levels = parsePowerLevels(JSON.parse('{"events": {"__proto__": 5, "constructor": 6}, "users": {"toString": 1}}'), v);
    expect(levels.events.get('__proto__')).toBe(5);
    expect(levels.events.get('constructor')).toBe(6);
    expect(parsePowerLevels({}, v).events.get('constructor')).toBeUndefined();
  });
  it('unknown version throws', () => expect(() => parsePowerLevels({}, 'zz')).toThrow(RangeError));
});

describe('userPowerLevel', () => {
  it.each(ALL)('v%s: no power levels event: the creator 100 (v1–v11) or infinite (v12), others 0', (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    expect(userPowerLevel(ALICE, r.currentState(), v)).toBe(isV12(v) ? Infinity : 100);
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(0);
  });
  it.each(upTo(10))('v%s: the creator is content.creator', (v) => {
    const r = bareRoom(v, { createContent: { creator: BOB } });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(100);
    expect(userPowerLevel(ALICE, r.currentState(), v)).toBe(0);
  });
  it.each(from(11))('v%s: the creator is the create sender', (v) => {
    const r = bareRoom(v, { createContent: { creator: BOB } });
    expect(userPowerLevel(ALICE, r.currentState(), v)).toBe(isV12(v) ? Infinity : 100);
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(0);
  });
  it.each(from(12))('v%s: additional creators are infinite too, with or without power levels', (v) => {
    const r = bareRoom(v, { createContent: { additional_creators: [BOB] } });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(Infinity);
    r.powerLevels(ALICE, { users: { [BOB]: 5 }, users_default: 3 });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(Infinity);
    expect(userPowerLevel(CAROL, r.currentState(), v)).toBe(3);
  });
  it.each(between(1, 11))('v%s: additional_creators means nothing before v12', (v) => {
    const r = bareRoom(v, { createContent: { additional_creators: [BOB] } });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(0);
  });
  it.each(ALL)('v%s: with power levels: users, else users_default', (v) => {
    const r = room(v, { powerLevels: { users: { [BOB]: 42 }, users_default: 7 } });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(42);
    expect(userPowerLevel(CAROL, r.currentState(), v)).toBe(7);
  });
  it.each(upTo(11))('v%s: with power levels the creator has no implicit 100', (v) => {
    const r = room(v, { powerLevels: { users: {} } });
    expect(userPowerLevel(ALICE, r.currentState(), v)).toBe(0);
  });
  it.each(ALL)('v%s: string levels count before v10 only', (v) => {
    const r = room(v, { powerLevels: { users: { [BOB]: '42' }, users_default: '7' } });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(Number(v) <= 9 ? 42 : 0);
    expect(userPowerLevel(CAROL, r.currentState(), v)).toBe(Number(v) <= 9 ? 7 : 0);
  });
  it.each(ALL)('v%s: float levels truncate before v6 only', (v) => {
    const r = room(v, { powerLevels: { users: { [BOB]: 42.9, [CAROL]: -1.5 } } });
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(Number(v) <= 5 ? 42 : 0);
    expect(userPowerLevel(CAROL, r.currentState(), v)).toBe(Number(v) <= 5 ? -1 : 0);
  });
  it.each(ALL)('v%s: an empty state gives 0', (v) => {
    expect(userPowerLevel(ALICE, [], v)).toBe(0);
  });
  it('unknown version throws', () => expect(() => userPowerLevel(ALICE, [], '0')).toThrow(RangeError));
});

describe('powerLevelRequiredFor', () => {
  it.each(ALL)('v%s: defaults without power levels: state 50, messages 0', (v) => {
    const r = bareRoom(v);
    expect(powerLevelRequiredFor('m.room.topic', true, r.currentState(), v)).toBe(50);
    expect(powerLevelRequiredFor('m.room.message', false, r.currentState(), v)).toBe(0);
  });
  it.each(ALL)('v%s: events overrides state_default and events_default', (v) => {
    const r = room(v, { powerLevels: { events: { 'm.room.topic': 10, 'm.room.message': 30 }, state_default: 70, events_default: 5 } });
    expect(powerLevelRequiredFor('m.room.topic', true, r.currentState(), v)).toBe(10);
    expect(powerLevelRequiredFor('m.room.topic', false, r.currentState(), v)).toBe(10);
    expect(powerLevelRequiredFor('m.room.message', false, r.currentState(), v)).toBe(30);
    expect(powerLevelRequiredFor('m.room.name', true, r.currentState(), v)).toBe(70);
    expect(powerLevelRequiredFor('m.reaction', false, r.currentState(), v)).toBe(5);
  });
  it.each(ALL)('v%s: an event type named like an Object property', (v) => {
    const r = room(v, { powerLevels: { events_default: 5 } });
    expect(powerLevelRequiredFor('constructor', false, r.currentState(), v)).toBe(5);
    expect(powerLevelRequiredFor('__proto__', true, r.currentState(), v)).toBe(50);
  });
});

describe('roomCreators', () => {
  it.each(ALL)('v%s', (v) => {
    const r = bareRoom(v, { createContent: { additional_creators: [BOB, 5], creator: CAROL } });
    const expected = Number(v) <= 10 ? [CAROL] : Number(v) === 11 ? [ALICE] : [ALICE, BOB];
    expect(roomCreators(r.create, v)).toEqual(expected);
  });
});
