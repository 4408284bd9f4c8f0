// PUT /pushrules bodies: the spec's examples are accepted, bad input is refused with a reason
// and an error code (path parameters M_INVALID_PARAM, bodies M_BAD_JSON), never an exception.
import { describe, expect, it } from 'vitest';
import { expectSpecSchema } from '../../helpers/openapi.ts';
import {
  userRuleIdProblem,
  validatePushActions,
  validatePushRule,
  validatePushRuleEnabled,
} from '../../../src/protocol/push/index.ts';

describe('the spec examples', () => {
  it('room rule: suppress !dj234r78wl45Gh4D:matrix.org', () => {
    expect(validatePushRule('room', '!dj234r78wl45Gh4D:matrix.org', { actions: [] })).toEqual({
      ok: true,
      rule: { rule_id: '!dj234r78wl45Gh4D:matrix.org', default: false, enabled: true, actions: [] },
    });
  });

  it('sender rule: suppress @spambot:matrix.org', () => {
    expect(validatePushRule('sender', '@spambot:matrix.org', { actions: [] })).toMatchObject({ ok: true });
  });

  it('content rule: cake with a sound', () => {
    const result = validatePushRule('content', 'SSByZWFsbHkgbGlrZSBjYWtl', {
      pattern: 'cake',
      actions: ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }],
    });
    expect(result).toEqual({
      ok: true,
      rule: {
        rule_id: 'SSByZWFsbHkgbGlrZSBjYWtl',
        default: false,
        enabled: true,
        pattern: 'cake',
        actions: ['notify', { set_tweak: 'sound', value: 'cakealarm.wav' }],
      },
    });
  });

  it('content rule: cake*lie', () => {
    expect(validatePushRule('content', 'U3BvbmdlIGNha2UgaXMgYmVzdA', { pattern: 'cake*lie', actions: ['notify'] })).toMatchObject({
      ok: true,
      rule: { pattern: 'cake*lie' },
    });
  });

  it('override rule: beer in small rooms', async () => {
    const result = validatePushRule('override', 'U2VlIHlvdSBpbiBUaGUgRHVrZQ', {
      conditions: [
        { kind: 'event_match', key: 'content.body', pattern: 'beer' },
        { kind: 'room_member_count', is: '<=10' },
      ],
      actions: ['notify', { set_tweak: 'sound', value: 'beeroclock.wav' }],
    });
    expect(result.ok).toBe(true);
    if (result.ok) await expectSpecSchema('client-server', 'definitions/push_rule.yaml', result.rule);
  });

  it('the pushrules.yaml request example (nocake)', () => {
    expect(validatePushRule('content', 'nocake', { pattern: 'cake*lie', actions: ['notify'] }).ok).toBe(true);
  });
});

describe('normalisation', () => {
  it('strips historical actions instead of rejecting them', () => {
    const result = validatePushRule('underride', 'r', { actions: ['dont_notify'] });
    expect(result).toMatchObject({ ok: true, rule: { actions: [] } });
    expect(validatePushRule('underride', 'r', { actions: ['coalesce', 'notify'] })).toMatchObject({ ok: true, rule: { actions: ['notify'] } });
  });

  it('defaults missing or null conditions to none', () => {
    expect(validatePushRule('override', 'r', { actions: [] })).toMatchObject({ ok: true, rule: { conditions: [] } });
    expect(validatePushRule('override', 'r', { actions: [], conditions: null })).toMatchObject({ ok: true, rule: { conditions: [] } });
  });

  it('keeps only the parameters a condition kind defines', () => {
    const result = validatePushRule('override', 'r', {
      actions: [],
      conditions: [
        { kind: 'event_match', key: 'type', pattern: 'm.room.message', value: 'extra', is: '2' },
        { kind: 'event_property_is', key: 'content.x', value: null, pattern: 'p' },
        { kind: 'contains_display_name', key: 'ignored' },
      ],
    });
    expect(result).toMatchObject({
      ok: true,
      rule: {
        conditions: [
          { kind: 'event_match', key: 'type', pattern: 'm.room.message' },
          { kind: 'event_property_is', key: 'content.x', value: null },
          { kind: 'contains_display_name' },
        ],
      },
    });
    if (result.ok) {
      expect(result.rule.conditions?.[0]).not.toHaveProperty('value');
      expect(result.rule.conditions?.[2]).not.toHaveProperty('key');
    }
  });

  it('accepts and keeps unrecognised condition kinds (they never match)', () => {
    const future = { kind: 'org.example.future', threshold: 3 };
    expect(validatePushRule('override', 'r', { actions: [], conditions: [future] })).toMatchObject({ ok: true, rule: { conditions: [future] } });
  });

  it('ignores conditions and pattern on room and sender rules', () => {
    const result = validatePushRule('sender', '@a:b.c', { actions: [], conditions: 'junk', pattern: 5 });
    expect(result).toEqual({ ok: true, rule: { rule_id: '@a:b.c', default: false, enabled: true, actions: [] } });
  });

  it('ignores conditions on content rules and pattern on override rules', () => {
    expect(validatePushRule('content', 'r', { actions: [], pattern: 'p', conditions: 'junk' })).toMatchObject({ ok: true });
    const override = validatePushRule('override', 'r', { actions: [], pattern: 5 });
    expect(override.ok && override.rule).not.toHaveProperty('pattern');
  });

  it('keeps tweak values and drops extra keys of tweak actions', () => {
    const result = validatePushRule('override', 'r', {
      actions: [{ set_tweak: 'org.example.led', value: { colour: 'red' }, extra: 1 }, { set_tweak: 'highlight' }],
    });
    expect(result).toMatchObject({ ok: true, rule: { actions: [{ set_tweak: 'org.example.led', value: { colour: 'red' } }, { set_tweak: 'highlight' }] } });
    expect(result.ok && result.rule.actions[0]).not.toHaveProperty('extra');
  });

  it('accepts every valid event_property value type', () => {
    for (const value of ['s', '', 0, -1, 2 ** 53 - 1, -(2 ** 53) + 1, true, false, null]) {
      for (const kind of ['event_property_is', 'event_property_contains']) {
        expect(validatePushRule('override', 'r', { actions: [], conditions: [{ kind, key: 'k', value }] }).ok).toBe(true);
      }
    }
  });

  it('accepts every room_member_count form', () => {
    for (const is of ['2', '==2', '<2', '>2', '<=2', '>=2', '0', '100000']) {
      expect(validatePushRule('override', 'r', { actions: [], conditions: [{ kind: 'room_member_count', is }] }).ok).toBe(true);
    }
  });

  it('accepts room IDs of every room version, and historical user IDs', () => {
    expect(validatePushRule('room', '!' + 'A'.repeat(42) + 'E', { actions: [] }).ok).toBe(true);
    expect(validatePushRule('sender', '@Old.Style:example.org', { actions: [] }).ok).toBe(true);
  });
});

describe('bad path parameters (M_INVALID_PARAM)', () => {
  it.each([
    ['global', 'r'],
    ['Override', 'r'],
    ['', 'r'],
    ['override', ''],
    ['override', '.m.rule.master'],
    ['override', '.anything'],
    ['content', '.m.rule.contains_user_name'],
    ['override', 'a/b'],
    ['override', 'a\\b'],
    ['underride', '/'],
    ['room', 'not-a-room'],
    ['room', '@user:example.org'],
    ['room', '!'],
    ['sender', 'bob'],
    ['sender', '!room:example.org'],
    ['sender', '@nocolon'],
  ])('kind %j, rule ID %j', (kind, ruleId) => {
    const result = validatePushRule(kind, ruleId, { actions: [], pattern: 'p' });
    expect(result).toMatchObject({ ok: false, errcode: 'M_INVALID_PARAM' });
    expect(result.ok || result.error.length > 0).toBe(true);
  });

  it('userRuleIdProblem explains', () => {
    expect(userRuleIdProblem('override', '.x')).toMatch(/reserved/);
    expect(userRuleIdProblem('override', 'ok')).toBeUndefined();
    expect(userRuleIdProblem('override', 42)).toMatch(/string/);
  });
});

describe('bad bodies (M_BAD_JSON)', () => {
  const table: Array<[string, string, unknown]> = [
    ['body is an array', 'override', []],
    ['body is null', 'override', null],
    ['body is a string', 'override', '{"actions":[]}'],
    ['actions missing', 'override', {}],
    ['actions null', 'room', { actions: null }],
    ['actions not an array', 'override', { actions: 'notify' }],
    ['actions an object', 'override', { actions: { notify: true } }],
    ['unknown action', 'override', { actions: ['notify_loudly'] }],
    ['action a number', 'override', { actions: [1] }],
    ['action null', 'override', { actions: [null] }],
    ['action a nested array', 'override', { actions: [['notify']] }],
    ['tweak without a name', 'override', { actions: [{ value: 'x' }] }],
    ['tweak with an empty name', 'override', { actions: [{ set_tweak: '' }] }],
    ['tweak name not a string', 'override', { actions: [{ set_tweak: 1 }] }],
    ['highlight value not boolean', 'override', { actions: [{ set_tweak: 'highlight', value: 'true' }] }],
    ['highlight value null', 'override', { actions: [{ set_tweak: 'highlight', value: null }] }],
    ['sound without value', 'override', { actions: [{ set_tweak: 'sound' }] }],
    ['sound value not a string', 'override', { actions: [{ set_tweak: 'sound', value: 1 }] }],
    ['conditions not an array', 'override', { actions: [], conditions: {} }],
    ['condition not an object', 'override', { actions: [], conditions: ['event_match'] }],
    ['condition null', 'underride', { actions: [], conditions: [null] }],
    ['condition without kind', 'override', { actions: [], conditions: [{ key: 'type', pattern: 'x' }] }],
    ['condition kind not a string', 'override', { actions: [], conditions: [{ kind: 1 }] }],
    ['event_match without key', 'override', { actions: [], conditions: [{ kind: 'event_match', pattern: 'x' }] }],
    ['event_match without pattern', 'override', { actions: [], conditions: [{ kind: 'event_match', key: 'type' }] }],
    ['event_match pattern not a string', 'override', { actions: [], conditions: [{ kind: 'event_match', key: 'type', pattern: 1 }] }],
    ['event_property_is without value', 'override', { actions: [], conditions: [{ kind: 'event_property_is', key: 'k' }] }],
    ['event_property_is without key', 'override', { actions: [], conditions: [{ kind: 'event_property_is', value: 1 }] }],
    ['event_property_is float', 'override', { actions: [], conditions: [{ kind: 'event_property_is', key: 'k', value: 1.5 }] }],
    ['event_property_is unsafe integer', 'override', { actions: [], conditions: [{ kind: 'event_property_is', key: 'k', value: 2 ** 53 }] }],
    ['event_property_is object', 'override', { actions: [], conditions: [{ kind: 'event_property_is', key: 'k', value: {} }] }],
    ['event_property_contains array', 'override', { actions: [], conditions: [{ kind: 'event_property_contains', key: 'k', value: ['a'] }] }],
    ['room_member_count without is', 'override', { actions: [], conditions: [{ kind: 'room_member_count' }] }],
    ['room_member_count is a number', 'override', { actions: [], conditions: [{ kind: 'room_member_count', is: 2 }] }],
    ['room_member_count is "=2"', 'override', { actions: [], conditions: [{ kind: 'room_member_count', is: '=2' }] }],
    ['room_member_count is "-1"', 'override', { actions: [], conditions: [{ kind: 'room_member_count', is: '-1' }] }],
    ['room_member_count is "> 2"', 'override', { actions: [], conditions: [{ kind: 'room_member_count', is: '> 2' }] }],
    ['sender_notification_permission without key', 'override', { actions: [], conditions: [{ kind: 'sender_notification_permission' }] }],
    ['content rule without pattern', 'content', { actions: [] }],
    ['content rule with null pattern', 'content', { actions: [], pattern: null }],
    ['content rule with numeric pattern', 'content', { actions: [], pattern: 5 }],
  ];

  it.each(table)('%s', (_name, kind, body) => {
    const ruleId = kind === 'room' ? '!r:example.org' : 'rule';
    const result = validatePushRule(kind, ruleId, body);
    expect(result).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
    if (!result.ok) expect(result.error).not.toBe('');
  });

  it('points at the offending condition', () => {
    const result = validatePushRule('override', 'r', {
      actions: [],
      conditions: [{ kind: 'event_match', key: 'type', pattern: 'x' }, { kind: 'event_match', key: 'type' }],
    });
    expect(!result.ok && result.error).toMatch(/conditions\[1\]\.pattern/);
  });
});

describe('validatePushActions (PUT …/actions)', () => {
  it('accepts and normalises', () => {
    expect(validatePushActions({ actions: ['notify', { set_tweak: 'highlight' }, 'dont_notify'] })).toEqual({
      ok: true,
      actions: ['notify', { set_tweak: 'highlight' }],
    });
  });

  it.each([[null], [[]], [{}], [{ actions: null }], [{ actions: 'notify' }], [{ actions: ['bogus'] }]])('rejects %j', (body) => {
    expect(validatePushActions(body)).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
  });
});

describe('validatePushRuleEnabled (PUT …/enabled)', () => {
  it('accepts booleans', () => {
    expect(validatePushRuleEnabled({ enabled: true })).toEqual({ ok: true, enabled: true });
    expect(validatePushRuleEnabled({ enabled: false })).toEqual({ ok: true, enabled: false });
  });

  it.each([[null], [{}], [{ enabled: 'true' }], [{ enabled: 1 }], [{ enabled: null }], [true]])('rejects %j', (body) => {
    expect(validatePushRuleEnabled(body)).toMatchObject({ ok: false, errcode: 'M_BAD_JSON' });
  });
});
