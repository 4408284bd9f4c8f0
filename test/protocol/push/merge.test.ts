// Combining server-default and user rules ("Predefined Rules"): user rules first except for
// .m.rule.master, enabled/actions overrides on any rule, no shadowing of defaults.
import { describe, expect, it } from 'vitest';
import {
  defaultPushRules,
  mergeUserRules,
  placeUserRule,
  pushRuleKey,
  type PushRule,
  type PushRules,
} from '../../../src/protocol/push/index.ts';
import { ALICE, BOB, ROOM } from './fixtures.ts';

const defaults = defaultPushRules(ALICE);
const user = (ruleId: string, extra: Partial<PushRule> = {}): PushRule => ({
  rule_id: ruleId,
  default: false,
  enabled: true,
  actions: ['notify'],
  ...extra,
});
const ids = (rules: readonly PushRule[]) => rules.map((rule) => rule.rule_id);
const defaultIds = (kind: keyof PushRules['global']) => ids(defaults.global[kind]);

describe('mergeUserRules', () => {
  it('with no user rules is the defaults', () => {
    expect(mergeUserRules(defaults, {})).toEqual(defaults);
  });

  it('puts user override rules after .m.rule.master and before the other defaults', () => {
    const merged = mergeUserRules(defaults, { override: [user('first', { conditions: [] }), user('second', { conditions: [] })] });
    const [master, ...rest] = defaultIds('override');
    expect(ids(merged.global.override)).toEqual([master, 'first', 'second', ...rest]);
  });

  it('puts user underride rules before the default underrides', () => {
    const merged = mergeUserRules(defaults, { underride: [user('mine', { conditions: [] })] });
    expect(ids(merged.global.underride)).toEqual(['mine', ...defaultIds('underride')]);
  });

  it('keeps user content, room and sender rules in their given order', () => {
    const merged = mergeUserRules(defaults, {
      content: [user('b', { pattern: 'b' }), user('a', { pattern: 'a' })],
      room: [user(ROOM)],
      sender: [user(BOB)],
    });
    expect(ids(merged.global.content)).toEqual(['b', 'a']);
    expect(ids(merged.global.room)).toEqual([ROOM]);
    expect(ids(merged.global.sender)).toEqual([BOB]);
  });

  it('places .m.rule.master first even when the defaults list it elsewhere', () => {
    const shuffled: PushRules = { global: { ...defaults.global, override: [...defaults.global.override].reverse() } };
    expect(ids(mergeUserRules(shuffled, { override: [user('mine')] }).global.override)[0]).toBe('.m.rule.master');
  });

  it('applies enabled overrides to default and user rules', () => {
    const enabled = new Map([
      [pushRuleKey('override', '.m.rule.master'), true],
      [pushRuleKey('underride', '.m.rule.message'), false],
      [pushRuleKey('content', 'mine'), false],
    ]);
    const merged = mergeUserRules(defaults, { content: [user('mine', { pattern: 'x' })] }, enabled);
    expect(merged.global.override[0]).toMatchObject({ rule_id: '.m.rule.master', enabled: true, default: true });
    expect(merged.global.underride.find((rule) => rule.rule_id === '.m.rule.message')?.enabled).toBe(false);
    expect(merged.global.content[0]?.enabled).toBe(false);
  });

  it('applies actions overrides, stripping historical actions', () => {
    const actions = new Map([
      [pushRuleKey('underride', '.m.rule.message'), ['dont_notify']],
      [pushRuleKey('room', ROOM), ['notify', 'coalesce', { set_tweak: 'sound', value: 'bing' }]],
    ]);
    const merged = mergeUserRules(defaults, { room: [user(ROOM, { actions: [] })] }, new Map(), actions);
    expect(merged.global.underride.find((rule) => rule.rule_id === '.m.rule.message')?.actions).toEqual([]);
    expect(merged.global.room[0]?.actions).toEqual(['notify', { set_tweak: 'sound', value: 'bing' }]);
  });

  it('keys overrides by kind: the same ID in another kind is unaffected', () => {
    const merged = mergeUserRules(
      defaults,
      { override: [user('same')], underride: [user('same')] },
      new Map([[pushRuleKey('override', 'same'), false]]),
    );
    expect(merged.global.override.find((rule) => rule.rule_id === 'same')?.enabled).toBe(false);
    expect(merged.global.underride.find((rule) => rule.rule_id === 'same')?.enabled).toBe(true);
  });

  it('ignores overrides for rules that do not exist', () => {
    const merged = mergeUserRules(defaults, {}, new Map([[pushRuleKey('override', 'ghost'), true]]));
    expect(merged).toEqual(defaults);
  });

  it('drops user rules that would shadow or impersonate a default, and duplicates', () => {
    const merged = mergeUserRules(defaults, {
      override: [user('.m.rule.suppress_notices'), user('.m.rule.anything'), user('dup'), user('dup', { actions: [] })],
    });
    const override = merged.global.override;
    expect(ids(override).filter((id) => id === '.m.rule.suppress_notices')).toHaveLength(1);
    expect(override.find((rule) => rule.rule_id === '.m.rule.suppress_notices')?.default).toBe(true);
    expect(ids(override)).not.toContain('.m.rule.anything');
    expect(override.filter((rule) => rule.rule_id === 'dup')).toEqual([expect.objectContaining({ actions: ['notify'] })]);
  });

  it('marks user rules non-default and default rules default', () => {
    const merged = mergeUserRules(defaults, { override: [{ ...user('mine'), default: true }] });
    expect(merged.global.override.find((rule) => rule.rule_id === 'mine')?.default).toBe(false);
    expect(merged.global.override.filter((rule) => rule.rule_id.startsWith('.')).every((rule) => rule.default)).toBe(true);
  });

  it('does not modify its inputs', () => {
    const before = JSON.stringify(defaults);
    const mine = [user('mine')];
    mergeUserRules(defaults, { override: mine }, new Map([[pushRuleKey('override', 'mine'), false]]));
    expect(JSON.stringify(defaults)).toBe(before);
    expect(mine[0]?.enabled).toBe(true);
  });
});

describe('pushRuleKey', () => {
  it('joins kind and rule ID with "/"', () => {
    expect(pushRuleKey('room', '!a:b')).toBe('room/!a:b');
  });
});

describe('placeUserRule (PUT with before/after)', () => {
  const list = [user('a'), user('b'), user('c')];
  const placed = (result: ReturnType<typeof placeUserRule>) => (result.ok ? ids(result.rules) : result.errcode);

  it('adds a new rule as the most important user rule', () => {
    expect(placed(placeUserRule(list, user('new')))).toEqual(['new', 'a', 'b', 'c']);
    expect(placed(placeUserRule([], user('new')))).toEqual(['new']);
  });

  it('updates an existing rule in place', () => {
    const result = placeUserRule(list, user('b', { actions: [] }));
    expect(placed(result)).toEqual(['a', 'b', 'c']);
    expect(result.ok && result.rules[1]?.actions).toEqual([]);
  });

  it('spec example: cake*lie before the cake rule', () => {
    const cake = user('SSByZWFsbHkgbGlrZSBjYWtl', { pattern: 'cake' });
    const lie = user('U3BvbmdlIGNha2UgaXMgYmVzdA', { pattern: 'cake*lie' });
    expect(placed(placeUserRule([cake], lie, { before: cake.rule_id }))).toEqual([lie.rule_id, cake.rule_id]);
  });

  it.each([
    [{ before: 'a' }, ['new', 'a', 'b', 'c']],
    [{ before: 'c' }, ['a', 'b', 'new', 'c']],
    [{ after: 'a' }, ['a', 'new', 'b', 'c']],
    [{ after: 'c' }, ['a', 'b', 'c', 'new']],
    // "If both after and before are provided, the new or updated rule must be the next most
    // important rule with respect to the rule identified by before."
    [{ before: 'b', after: 'c' }, ['a', 'new', 'b', 'c']],
  ])('places a new rule %j', (position, expected) => {
    expect(placed(placeUserRule(list, user('new'), position))).toEqual(expected);
  });

  it('moves an existing rule', () => {
    expect(placed(placeUserRule(list, user('a'), { after: 'c' }))).toEqual(['b', 'c', 'a']);
    expect(placed(placeUserRule(list, user('c'), { before: 'a' }))).toEqual(['c', 'a', 'b']);
  });

  it('refuses missing anchors (M_UNKNOWN) and server-default anchors (M_INVALID_PARAM)', () => {
    expect(placeUserRule(list, user('new'), { before: 'ghost' })).toMatchObject({ ok: false, errcode: 'M_UNKNOWN', error: 'before/after rule not found: ghost' });
    expect(placeUserRule(list, user('a'), { after: 'a' })).toMatchObject({ ok: false, errcode: 'M_UNKNOWN' });
    expect(placeUserRule(list, user('new'), { after: '.m.rule.master' })).toMatchObject({ ok: false, errcode: 'M_INVALID_PARAM' });
  });

  it('does not modify the list it is given', () => {
    placeUserRule(list, user('new'), { after: 'a' });
    expect(ids(list)).toEqual(['a', 'b', 'c']);
  });
});
