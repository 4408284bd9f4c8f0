// Evaluation: kind order, first match wins, content/room/sender rules, disabled rules, the
// user's own events, and how actions turn into notify/highlight/sound/tweaks.
import { describe, expect, it } from 'vitest';
import {
  compilePushRules,
  defaultPushRules,
  evaluatePushRules,
  mergeUserRules,
  preparePushEvent,
  type PushAction,
  type PushRule,
  type PushRuleKind,
  type PushRules,
  type UserPushRules,
} from '../../../src/protocol/push/index.ts';
import { ALICE, BOB, ROOM, context, event, message } from './fixtures.ts';

function rule(ruleId: string, actions: PushAction[], extra: Partial<PushRule> = {}): PushRule {
  return { rule_id: ruleId, default: false, enabled: true, actions, ...extra };
}

function rulesOf(parts: Partial<Record<PushRuleKind, PushRule[]>>): PushRules {
  return { global: { override: [], content: [], room: [], sender: [], underride: [], ...parts } };
}

const always = (ruleId: string, actions: PushAction[] = ['notify']) => rule(ruleId, actions, { conditions: [] });

describe('rule order', () => {
  it('checks override, content, room, sender, underride in that order', () => {
    const all = {
      override: [rule('o', ['notify'], { conditions: [{ kind: 'event_match', key: 'content.body', pattern: '*override*' }] })],
      content: [rule('c', ['notify'], { pattern: 'content' })],
      room: [rule(ROOM, ['notify'])],
      sender: [rule(BOB, ['notify'])],
      underride: [always('u')],
    };
    const evaluator = compilePushRules(rulesOf(all));
    const at = (body: string, extra: Record<string, unknown> = {}) => evaluator.evaluate(message(body, {}, extra), context()).ruleId;
    expect(at('override and content')).toBe('o');
    expect(at('content here')).toBe('c');
    expect(at('nothing special')).toBe(ROOM);
    expect(at('nothing special', { room_id: '!other:example.org' })).toBe(BOB);
    expect(at('nothing special', { room_id: '!other:example.org', sender: '@carol:example.org' })).toBe('u');
  });

  it('takes the first matching rule within a kind', () => {
    const evaluator = compilePushRules(rulesOf({ content: [rule('tea', ['notify'], { pattern: 'tea' }), rule('time', [], { pattern: 'time' })] }));
    // The spec's "It's time for tea" tiebreak: list order decides.
    expect(evaluator.evaluate(message("It's time for tea"), context()).ruleId).toBe('tea');
  });

  it('skips disabled rules and falls through to the next', () => {
    const evaluator = compilePushRules(rulesOf({ override: [{ ...always('off'), enabled: false }, always('on', [])] }));
    expect(evaluator.evaluate(message('x'), context()).ruleId).toBe('on');
    expect(evaluator.activeRuleCount).toBe(1);
  });

  it('returns no actions when nothing matches', () => {
    const result = evaluatePushRules(rulesOf({}), message('x'), context());
    expect(result).toEqual({ actions: [], notify: false, highlight: false, tweaks: {} });
  });
});

describe('content rules', () => {
  const cake = rule('SSByZWFsbHkgbGlrZSBjYWtl', ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }], { pattern: 'cake' });
  const lie = rule('U3BvbmdlIGNha2UgaXMgYmVzdA', ['notify'], { pattern: 'cake*lie' });

  it('spec example: cake and cake*lie, the later rule inserted before the earlier', () => {
    const evaluator = compilePushRules(rulesOf({ content: [lie, cake] }));
    expect(evaluator.evaluate(message('the cake is a lie'), context())).toMatchObject({ ruleId: lie.rule_id, notify: true });
    expect(evaluator.evaluate(message('I want CAKE'), context())).toMatchObject({ ruleId: cake.rule_id, sound: 'cakealarm.wav' });
    expect(evaluator.evaluate(message('cupcakes'), context()).ruleId).toBeUndefined();
  });

  it('only look at content.body', () => {
    const evaluator = compilePushRules(rulesOf({ content: [cake] }));
    expect(evaluator.evaluate(event('m.room.message', { formatted_body: 'cake' }), context()).ruleId).toBeUndefined();
    expect(evaluator.evaluate(event('m.room.topic', { topic: 'cake' }), context()).ruleId).toBeUndefined();
    expect(evaluator.evaluate(event('m.room.message', { body: 42 }), context()).ruleId).toBeUndefined();
    expect(evaluator.evaluate({ content: { body: 'cake' } }, context()).ruleId).toBe(cake.rule_id);
  });

  it('never match without a string pattern', () => {
    const broken = { ...rule('broken', ['notify']), pattern: 5 } as unknown as PushRule;
    const evaluator = compilePushRules(rulesOf({ content: [broken, rule('nopattern', ['notify'])] }));
    expect(evaluator.activeRuleCount).toBe(0);
  });
});

describe('room and sender rules', () => {
  it('spec examples: suppress a room, suppress a sender', () => {
    const evaluator = compilePushRules(
      mergeUserRules(defaultPushRules(ALICE), {
        room: [rule('!dj234r78wl45Gh4D:matrix.org', [])],
        sender: [rule('@spambot:matrix.org', [])],
      }),
    );
    const inRoom = message('hi', {}, { room_id: '!dj234r78wl45Gh4D:matrix.org' });
    expect(evaluator.evaluate(inRoom, context())).toMatchObject({ ruleId: '!dj234r78wl45Gh4D:matrix.org', notify: false });
    const fromSpambot = message('buy now', {}, { sender: '@spambot:matrix.org' });
    expect(evaluator.evaluate(fromSpambot, context())).toMatchObject({ ruleId: '@spambot:matrix.org', notify: false });
    expect(evaluator.evaluate(message('hi'), context()).ruleId).toBe('.m.rule.message');
  });

  it('compare IDs exactly (case-sensitive, no globbing)', () => {
    const evaluator = compilePushRules(rulesOf({ room: [rule('!Room:example.org', ['notify'])], sender: [rule('@b*:example.org', ['notify'])] }));
    expect(evaluator.evaluate(message('x', {}, { room_id: '!room:example.org' }), context()).ruleId).toBeUndefined();
    expect(evaluator.evaluate(message('x', {}, { room_id: '!Room:example.org' }), context()).ruleId).toBe('!Room:example.org');
    expect(evaluator.evaluate(message('x'), context()).ruleId).toBeUndefined();
  });

  it('room rules beat default underrides but not default overrides', () => {
    const evaluator = compilePushRules(mergeUserRules(defaultPushRules(ALICE), { room: [rule(ROOM, [])] }));
    expect(evaluator.evaluate(message('x'), context()).ruleId).toBe(ROOM);
    const mention = message('x', { 'm.mentions': { user_ids: [ALICE] } });
    expect(evaluator.evaluate(mention, context()).ruleId).toBe('.m.rule.is_user_mention');
  });
});

describe("the user's own events", () => {
  it('never notify, whatever the rules say', () => {
    const evaluator = compilePushRules(rulesOf({ override: [always('everything', ['notify', { set_tweak: 'highlight' }])] }));
    const own = message('talking to myself', { 'm.mentions': { user_ids: [ALICE] } }, { sender: ALICE });
    const result = evaluator.evaluate(own, context());
    expect(result.ruleId).toBeUndefined();
    expect(result.notify).toBe(false);
    expect(evaluator.evaluate(message('from bob'), context()).ruleId).toBe('everything');
  });
});

describe('actions', () => {
  const outcome = (actions: unknown[]) =>
    compilePushRules(rulesOf({ override: [always('r', actions as PushAction[])] })).evaluate(message('x'), context());

  it.each([
    [['notify'], { notify: true, highlight: false, tweaks: {} }],
    [[], { notify: false, highlight: false, tweaks: {} }],
    [['notify', { set_tweak: 'highlight' }], { notify: true, highlight: true, tweaks: { highlight: true } }],
    [['notify', { set_tweak: 'highlight', value: true }], { notify: true, highlight: true }],
    [['notify', { set_tweak: 'highlight', value: false }], { notify: true, highlight: false, tweaks: { highlight: false } }],
    // A highlight tweak of another type is not `true`.
    [['notify', { set_tweak: 'highlight', value: 'yes' }], { notify: true, highlight: false }],
    // Later tweaks replace earlier ones, as entries of one dictionary.
    [['notify', { set_tweak: 'highlight' }, { set_tweak: 'highlight', value: false }], { highlight: false }],
    // Without notify there is no notification to highlight.
    [[{ set_tweak: 'highlight' }], { notify: false, highlight: false, tweaks: { highlight: true } }],
    [['notify', { set_tweak: 'sound', value: 'default' }], { sound: 'default', tweaks: { sound: 'default' } }],
    [['notify', { set_tweak: 'sound', value: 7 }], { tweaks: { sound: 7 } }],
    [['notify', { set_tweak: 'org.example.led', value: { colour: 'red' } }], { tweaks: { 'org.example.led': { colour: 'red' } } }],
    [['notify', { set_tweak: 'org.example.flag' }], { tweaks: { 'org.example.flag': true } }],
  ])('%j', (actions, expected) => {
    const result = outcome(actions);
    expect(result).toMatchObject(expected);
    if (!('sound' in expected)) expect(result.sound).toBeUndefined();
  });

  it('stores a "__proto__" tweak as an own property, leaving the prototype alone', () => {
    const result = outcome(['notify', { set_tweak: '__proto__', value: { polluted: true } }]);
    expect(Object.hasOwn(result.tweaks, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(result.tweaks)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('ignores the historical dont_notify and coalesce ("MUST be equivalent to an empty actions array")', () => {
    expect(outcome(['dont_notify'])).toEqual(outcome([]));
    expect(outcome(['coalesce', 'notify']).actions).toEqual(['notify']);
    expect(outcome(['dont_notify', 'notify', { set_tweak: 'sound', value: 'x' }, 'coalesce']).actions).toEqual([
      'notify',
      { set_tweak: 'sound', value: 'x' },
    ]);
  });

  it('drops actions it does not understand from stored rules', () => {
    const result = outcome(['notify', 'org.example.unknown', 5, null, { value: 1 }, { set_tweak: 3 }]);
    expect(result.actions).toEqual(['notify']);
    expect(result.notify).toBe(true);
  });

  it('returns frozen outcomes, shared between evaluations', () => {
    const evaluator = compilePushRules(rulesOf({ override: [always('r', ['notify', { set_tweak: 'sound', value: 'a' }])] }));
    const first = evaluator.evaluate(message('x'), context());
    expect(evaluator.evaluate(message('y'), context())).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.actions)).toBe(true);
    expect(Object.isFrozen(first.tweaks)).toBe(true);
    expect(Object.isFrozen(first.actions[1])).toBe(true);
  });

  it('do not alias the ruleset they were compiled from', () => {
    const led = { set_tweak: 'org.example.led', value: { colour: 'red' } };
    const evaluator = compilePushRules(rulesOf({ override: [always('r', ['notify', led])] }));
    led.value.colour = 'blue';
    const result = evaluator.evaluate(message('x'), context());
    expect(result.tweaks['org.example.led']).toEqual({ colour: 'red' });
    expect(Object.isFrozen(result.tweaks['org.example.led'])).toBe(true);
    expect(Object.isFrozen(led)).toBe(false);
  });
});

describe('malformed rulesets (e.g. from old storage)', () => {
  it('are compiled as far as they make sense, never throwing', () => {
    const garbage = {
      global: {
        override: [null, 'rule', { rule_id: 5, enabled: true, actions: [] }, { rule_id: 'x', enabled: 'yes', actions: [] }, always('good')],
        content: 'not a list',
        room: [{ rule_id: ROOM, enabled: true, actions: 'notify' }],
      },
    } as unknown as PushRules;
    const evaluator = compilePushRules(garbage);
    expect(evaluator.activeRuleCount).toBe(2);
    expect(evaluator.evaluate(message('x'), context()).ruleId).toBe('good');
    expect(compilePushRules({} as PushRules).activeRuleCount).toBe(0);
    expect(compilePushRules(null as unknown as PushRules).activeRuleCount).toBe(0);
  });

  it('a rule without actions matches but does nothing', () => {
    const evaluator = compilePushRules({ global: { room: [{ rule_id: ROOM, enabled: true }] } } as unknown as PushRules);
    expect(evaluator.evaluate(message('x'), context())).toMatchObject({ ruleId: ROOM, notify: false, actions: [] });
  });
});

describe('evaluation through merged rules', () => {
  it('uses user rules, defaults and overrides together', () => {
    const user: UserPushRules = { override: [always('mine', ['notify', { set_tweak: 'sound', value: 'mine' }])] };
    const rules = mergeUserRules(defaultPushRules(ALICE), user);
    expect(evaluatePushRules(rules, message('x', { msgtype: 'm.notice' }), context())).toMatchObject({ ruleId: 'mine', sound: 'mine' });
  });
});

describe('prepared events', () => {
  it('evaluate the same as raw events, for many users in turn', () => {
    const alice = compilePushRules(defaultPushRules(ALICE));
    const bob = compilePushRules(defaultPushRules(BOB));
    const mention = message('hi both', { 'm.mentions': { user_ids: [ALICE] } }, { sender: '@carol:example.org' });
    const prepared = preparePushEvent(mention);
    expect(alice.evaluate(prepared, context())).toEqual(alice.evaluate(mention, context()));
    expect(bob.evaluate(prepared, context({ userId: BOB }))).toEqual(bob.evaluate(mention, context({ userId: BOB })));
    expect(alice.evaluate(prepared, context()).ruleId).toBe('.m.rule.is_user_mention');
    expect(bob.evaluate(prepared, context({ userId: BOB })).ruleId).toBe('.m.rule.message');
  });

  it('still silence the sender', () => {
    const prepared = preparePushEvent(message('mine'));
    expect(compilePushRules(defaultPushRules(BOB)).evaluate(prepared, context({ userId: BOB })).notify).toBe(false);
  });
});
