// Every condition kind ("Conditions"), one rule at a time, including the spec's examples.
import { describe, expect, it } from 'vitest';
import { compilePushRules, type PushCondition, type PushContext, type PushRules } from '../../../src/protocol/push/index.ts';
import { ALICE, BOB, context, event, message } from './fixtures.ts';

function only(conditions: readonly unknown[]): PushRules {
  const rule = { rule_id: 'test', default: false, enabled: true, conditions: conditions as PushCondition[], actions: ['notify'] };
  return { global: { override: [rule], content: [], room: [], sender: [], underride: [] } };
}

function matches(conditions: readonly unknown[], ev: unknown, overrides: Partial<PushContext> = {}): boolean {
  return compilePushRules(only(conditions)).evaluate(ev, context(overrides)).ruleId === 'test';
}

const eventMatch = (key: string, pattern: string) => ({ kind: 'event_match', key, pattern });
const propertyIs = (key: string, value: unknown) => ({ kind: 'event_property_is', key, value });
const propertyContains = (key: string, value: unknown) => ({ kind: 'event_property_contains', key, value });

describe('no conditions', () => {
  it('"A rule with no conditions always matches"', () => {
    expect(matches([], message('x'))).toBe(true);
    expect(matches([], {})).toBe(true);
    expect(matches([], 'not even an object')).toBe(true);
  });
});

describe('event_match', () => {
  const topic = (value: unknown) => ({
    content: { topic: value },
    event_id: '$143273582443PhrSn:example.org',
    room_id: '!636q39766251:example.com',
    sender: '@example:example.org',
    state_key: '',
    type: 'm.room.topic',
  });

  it.each([
    ['Lunch plans', true],
    ['LUNCH', true],
    [' lunch', false],
    ['lunc', false],
    [null, false],
  ])('spec example: content.topic lunc?* against %j → %s', (value, expected) => {
    expect(matches([eventMatch('content.topic', 'lunc?*')], topic(value))).toBe(expected);
  });

  it('does not match an absent property, even with pattern *', () => {
    expect(matches([eventMatch('content.topic', '*')], event('m.room.topic', {}))).toBe(false);
    expect(matches([eventMatch('content.topic', '*')], topic(''))).toBe(true);
  });

  it.each([5, true, false, ['lunch'], { text: 'lunch' }])('does not match a non-string value %j', (value) => {
    expect(matches([eventMatch('content.topic', '*')], topic(value))).toBe(false);
  });

  it.each([
    ['An example event.', true],
    ['exple', true],
    ['An exciting triple-whammy', true],
    ['examples', false],
  ])('spec example: content.body ex*ple (word boundaries) against %j → %s', (body, expected) => {
    const ev = { content: { body }, event_id: '$e', room_id: '!r:example.com', sender: '@example:example.org', type: 'm.room.message' };
    expect(matches([eventMatch('content.body', 'ex*ple')], ev)).toBe(expected);
  });

  it('matches other keys against the whole value, not words', () => {
    expect(matches([eventMatch('content.topic', 'lunch')], topic('lunch plans'))).toBe(false);
    expect(matches([eventMatch('content.body', 'lunch')], message('lunch plans'))).toBe(true);
  });

  it('is case-insensitive', () => {
    expect(matches([eventMatch('type', 'M.ROOM.MESSAGE')], message('x'))).toBe(true);
    expect(matches([eventMatch('content.body', 'HELLO')], message('well, hello there'))).toBe(true);
  });

  it('follows dotted keys with escapes', () => {
    const ev = message('x', { 'm.relates_to': { rel_type: 'm.thread' } });
    expect(matches([eventMatch('content.m\\.relates_to.rel_type', 'm.thread')], ev)).toBe(true);
    // Unescaped, the dot splits: content → m → relates_to, which does not exist.
    expect(matches([eventMatch('content.m.relates_to.rel_type', 'm.thread')], ev)).toBe(false);
    const nested = message('x', { m: { relates_to: { rel_type: 'm.thread' } } });
    expect(matches([eventMatch('content.m.relates_to.rel_type', 'm.thread')], nested)).toBe(true);
    const backslash = message('x', { 'm\\foo': 'bar' });
    expect(matches([eventMatch('content.m\\\\foo', 'bar')], backslash)).toBe(true);
  });

  it('matches top-level fields, including state_key ""', () => {
    expect(matches([eventMatch('state_key', '')], { state_key: '' })).toBe(true);
    expect(matches([eventMatch('state_key', '')], {})).toBe(false);
    expect(matches([eventMatch('sender', '@bob:*')], message('x'))).toBe(true);
  });

  it('treats the spec-undefined glob syntax literally', () => {
    expect(matches([eventMatch('content.body', '[abc]')], message('pick [abc] now'))).toBe(true);
    expect(matches([eventMatch('content.body', '[abc]')], message('pick a now'))).toBe(false);
  });
});

describe('event_property_is', () => {
  const create = {
    content: {
      creator: '@example:example.org',
      'm.federate': true,
      predecessor: { event_id: '$something:example.org', room_id: '!oldroom:example.org' },
      room_version: '1',
    },
    event_id: '$143273582443PhrSn:example.org',
    room_id: '!636q39766251:example.com',
    sender: '@example:example.org',
    state_key: '',
    type: 'm.room.create',
  };

  it('spec example: content.m\\.federate is true', () => {
    expect(matches([propertyIs('content.m\\.federate', true)], create)).toBe(true);
  });

  it.each(['true', 1])('spec example: m.federate %j does not match true (no casting)', (value) => {
    expect(matches([propertyIs('content.m\\.federate', true)], { ...create, content: { 'm.federate': value } })).toBe(false);
  });

  const table: Array<[string, unknown, unknown, boolean]> = [
    ['string', 'abc', 'abc', true],
    ['string, case matters', 'abc', 'ABC', false],
    ['string vs number', '1', 1, false],
    ['integer', 42, 42, true],
    ['negative integer', -7, -7, true],
    ['zero vs negative zero', 0, -0, true],
    ['max safe integer', 2 ** 53 - 1, 2 ** 53 - 1, true],
    ['min safe integer', -(2 ** 53) + 1, -(2 ** 53) + 1, true],
    ['integer vs different integer', 42, 43, false],
    ['integer vs float', 1, 1.5, false],
    ['integer vs string', 1, '1', false],
    ['true', true, true, true],
    ['false', false, false, true],
    ['false vs 0', false, 0, false],
    ['false vs null', false, null, false],
    ['null', null, null, true],
    ['null vs absent', null, undefined, false],
    ['null vs "null"', null, 'null', false],
    ['string vs array holding it', 'a', ['a'], false],
    ['null vs object', null, {}, false],
  ];

  it.each(table)('%s', (_name, expected, actual, result) => {
    const content = actual === undefined ? {} : { field: actual };
    expect(matches([propertyIs('content.field', expected)], event('t', content))).toBe(result);
  });

  it('never matches when the condition value is compound, fractional or unsafe', () => {
    for (const value of [{}, [], 1.5, 2 ** 53, Number.NaN]) {
      expect(matches([propertyIs('content.field', value)], event('t', { field: value }))).toBe(false);
    }
  });

  it('never matches when the condition lacks a value or key', () => {
    expect(matches([{ kind: 'event_property_is', key: 'content.field' }], event('t', { field: null }))).toBe(false);
    expect(matches([{ kind: 'event_property_is', value: null }], event('t', { field: null }))).toBe(false);
  });
});

describe('event_property_contains', () => {
  const aliases = {
    content: { alias: '#somewhere:localhost', alt_aliases: ['#somewhere:example.org', '#myroom:example.com'] },
    event_id: '$143273582443PhrSn:example.org',
    origin_server_ts: 1432735824653,
    room_id: '!jEsUZKDJdhlrceRyVU:example.org',
    sender: '@example:example.org',
    state_key: '',
    type: 'm.room.canonical_alias',
    unsigned: { age: 1234 },
  };

  it('spec example: alt_aliases contains #myroom:example.com', () => {
    expect(matches([propertyContains('content.alt_aliases', '#myroom:example.com')], aliases)).toBe(true);
  });

  it('spec example: partial values do not match', () => {
    expect(matches([propertyContains('content.alt_aliases', ':example.com')], aliases)).toBe(false);
  });

  const table: Array<[string, unknown, unknown, boolean]> = [
    ['string', 'a', ['x', 'a'], true],
    ['string, case matters', 'a', ['A'], false],
    ['integer', 3, [1, 2, 3], true],
    ['integer vs string', 3, ['3'], false],
    ['true', true, [false, true], true],
    ['false vs 0', false, [0, ''], false],
    ['null', null, [null], true],
    ['null vs empty', null, [], false],
    ['nested array is ignored', 'a', [['a']], false],
    ['object is ignored', 'a', [{ a: 'a' }], false],
    ['not an array: string', 'a', 'a', false],
    ['not an array: object', 'a', { 0: 'a' }, false],
    ['absent', 'a', undefined, false],
  ];

  it.each(table)('%s', (_name, expected, actual, result) => {
    const content = actual === undefined ? {} : { list: actual };
    expect(matches([propertyContains('content.list', expected)], event('t', content))).toBe(result);
  });
});

describe('contains_display_name', () => {
  const condition = [{ kind: 'contains_display_name' }];

  it.each([
    ['Alice', 'hi Alice!', true],
    ['Alice', 'hi alice', true],
    ['Alice', 'HI ALICE', true],
    ['Alice', 'Alice', true],
    ['Alice', 'Alicecat', false],
    ['Alice', 'MyAlice', false],
    ['Alice', 'Alice_1', false],
    ['Alice Smith', 'ping alice smith, please', true],
    ['Alice Smith', 'ping alice  smith', false],
    // The display name is literal: glob characters in it are not wildcards.
    ['A*e', 'hello Alice', false],
    ['A*e', 'hello a*e', true],
    ['al?ce', 'hello alice', false],
    ['[bot]', 'hi [bot]', true],
    ['Ünïcødé', 'hi ünïcødé', true],
  ])('name %j in body %j → %s', (displayName, body, expected) => {
    expect(matches(condition, message(body), { displayName })).toBe(expected);
  });

  it('never matches without a usable display name', () => {
    expect(matches(condition, message('hello'), {})).toBe(false);
    expect(matches(condition, message('hello'), { displayName: '' })).toBe(false);
    expect(matches(condition, message('hello   world'), { displayName: '  ' })).toBe(false);
  });

  it('needs a string body', () => {
    expect(matches(condition, event('m.room.message', { body: ['Alice'] }), { displayName: 'Alice' })).toBe(false);
    expect(matches(condition, event('m.room.message', {}), { displayName: 'Alice' })).toBe(false);
  });
});

describe('room_member_count', () => {
  const table: Array<[string, number, boolean]> = [
    ['2', 2, true],
    ['2', 3, false],
    ['==2', 2, true],
    ['==2', 1, false],
    ['<10', 9, true],
    ['<10', 10, false],
    ['>10', 11, true],
    ['>10', 10, false],
    ['<=10', 10, true],
    ['<=10', 11, false],
    ['>=10', 10, true],
    ['>=10', 9, false],
    ['0', 0, true],
    ['007', 7, true],
  ];

  it.each(table)('is %j with %d members → %s', (is, count, expected) => {
    expect(matches([{ kind: 'room_member_count', is }], message('x'), { roomMemberCount: count })).toBe(expected);
  });

  it.each(['', '=2', '=<2', '!=2', '< 2', ' 2', '2 ', '-1', '+2', '2.0', '1e1', 'two', '<'])(
    'never matches with malformed is %j',
    (is) => {
      for (const count of [-1, 0, 1, 2, 10]) {
        expect(matches([{ kind: 'room_member_count', is }], message('x'), { roomMemberCount: count })).toBe(false);
      }
    },
  );

  it('never matches with a non-string is', () => {
    expect(matches([{ kind: 'room_member_count', is: 2 }], message('x'), { roomMemberCount: 2 })).toBe(false);
  });

  it('spec example: the beer rule (content.body beer, <=10 members)', () => {
    const beer = [eventMatch('content.body', 'beer'), { kind: 'room_member_count', is: '<=10' }];
    expect(matches(beer, message('Beer o clock?'), { roomMemberCount: 10 })).toBe(true);
    expect(matches(beer, message('Beer o clock?'), { roomMemberCount: 11 })).toBe(false);
    expect(matches(beer, message('beers?'), { roomMemberCount: 3 })).toBe(false);
  });
});

describe('sender_notification_permission', () => {
  const room = [{ kind: 'sender_notification_permission', key: 'room' }];

  it.each([
    [undefined, undefined, false],
    [0, undefined, false],
    [49, undefined, false],
    [50, undefined, true],
    [100, undefined, true],
    [Number.POSITIVE_INFINITY, undefined, true],
    [10, 10, true],
    [9, 10, false],
    [0, 0, true],
    [-5, -10, true],
    [100, 101, false],
  ])('sender level %s, notifications.room %s → %s', (senderPowerLevel, required, expected) => {
    const notificationPowerLevels = required === undefined ? undefined : new Map([['room', required]]);
    const overrides: Partial<PushContext> = {};
    if (senderPowerLevel !== undefined) Object.assign(overrides, { senderPowerLevel });
    if (notificationPowerLevels) Object.assign(overrides, { notificationPowerLevels });
    expect(matches(room, message('x'), overrides)).toBe(expected);
  });

  it('defaults other keys to 50 as well', () => {
    const custom = [{ kind: 'sender_notification_permission', key: 'org.example.ping' }];
    expect(matches(custom, message('x'), { senderPowerLevel: 50, notificationPowerLevels: new Map([['room', 100]]) })).toBe(true);
    expect(matches(custom, message('x'), { senderPowerLevel: 49 })).toBe(false);
    expect(matches(custom, message('x'), { senderPowerLevel: 0, notificationPowerLevels: new Map([['org.example.ping', 0]]) })).toBe(true);
  });

  it('needs a key', () => {
    expect(matches([{ kind: 'sender_notification_permission' }], message('x'), { senderPowerLevel: 100 })).toBe(false);
  });
});

describe('unrecognised and malformed conditions', () => {
  it.each([
    [{ kind: 'org.example.future', whatever: 1 }],
    [{ kind: 'event_match', key: 'type' }],
    [{ kind: 'event_match', pattern: 'm.room.message' }],
    [{ kind: 'event_match', key: 5, pattern: 'x' }],
    [{ key: 'type', pattern: 'm.room.message' }],
    ['event_match'],
    [null],
  ])('%j disables the rule', (condition) => {
    expect(matches([condition], message('x'))).toBe(false);
    expect(matches([eventMatch('type', 'm.room.message'), condition], message('x'))).toBe(false);
  });

  it('a rule whose conditions are not a list never matches', () => {
    expect(matches('type' as unknown as unknown[], message('x'))).toBe(false);
  });
});

describe('all conditions must hold', () => {
  it('conjunction', () => {
    const both = [eventMatch('type', 'm.room.message'), eventMatch('sender', BOB)];
    expect(matches(both, message('x'))).toBe(true);
    expect(matches(both, message('x', {}, { sender: ALICE.replace('alice', 'carol') }))).toBe(false);
  });
});
