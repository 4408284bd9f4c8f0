// The predefined rules: identical to the definitions in push.md (read from the spec text),
// valid against the API schema, and each one triggered — and not triggered — by an event.
import { describe, expect, it } from 'vitest';
import { expectSpecResponse, expectSpecSchema } from '../../helpers/openapi.ts';
import {
  compilePushRules,
  defaultPushRules,
  mergeUserRules,
  pushRuleKey,
  type PushContext,
  type PushEvaluation,
} from '../../../src/protocol/push/index.ts';
import { ALICE, BOB, context, event, message, specRuleDefinitions, stateEvent } from './fixtures.ts';

const USER_PLACEHOLDER = "[the user's Matrix ID]";

function withUser(definition: unknown): unknown {
  return JSON.parse(JSON.stringify(definition).replaceAll(JSON.stringify(USER_PLACEHOLDER), JSON.stringify(ALICE)));
}

describe('defaultPushRules', () => {
  const rules = defaultPushRules(ALICE);

  it('has the spec override rules, in the spec order', () => {
    expect(rules.global.override).toEqual(specRuleDefinitions('Override').map(withUser));
  });

  it('has the spec underride rules, in the spec order', () => {
    expect(rules.global.underride).toEqual(specRuleDefinitions('Underride').map(withUser));
  });

  it('has no content, room or sender rules (legacy mention rules were removed in v1.17)', () => {
    expect(rules.global.content).toEqual([]);
    expect(rules.global.room).toEqual([]);
    expect(rules.global.sender).toEqual([]);
    const ids = Object.values(rules.global).flatMap((list) => list.map((rule) => rule.rule_id));
    expect(ids).not.toContain('.m.rule.contains_display_name');
    expect(ids).not.toContain('.m.rule.contains_user_name');
    expect(ids).not.toContain('.m.rule.roomnotif');
  });

  it('marks every rule as default, and only the master rule disabled', () => {
    const all = Object.values(rules.global).flat();
    expect(all.every((rule) => rule.default)).toBe(true);
    expect(all.filter((rule) => !rule.enabled).map((rule) => rule.rule_id)).toEqual(['.m.rule.master']);
  });

  it('is what GET /pushrules/ and GET /pushrules/global/ may return', async () => {
    await expectSpecResponse('client-server', 'GET', '/_matrix/client/v3/pushrules/', 200, rules);
    await expectSpecResponse('client-server', 'GET', '/_matrix/client/v3/pushrules/global/', 200, rules.global);
    await expectSpecSchema('client-server', 'definitions/push_ruleset.yaml', rules.global);
  });

  it('returns fresh objects', () => {
    const again = defaultPushRules(ALICE);
    expect(again).toEqual(rules);
    expect(again.global.override).not.toBe(rules.global.override);
    expect(again.global.override[0]?.actions).not.toBe(rules.global.override[0]?.actions);
  });

  it('binds the user ID', () => {
    const bob = defaultPushRules(BOB).global.override;
    expect(JSON.stringify(bob)).toContain(BOB);
    expect(JSON.stringify(bob)).not.toContain(ALICE);
  });
});

const evaluator = compilePushRules(defaultPushRules(ALICE));

function evaluate(ev: unknown, overrides: Partial<PushContext> = {}): PushEvaluation {
  return evaluator.evaluate(ev, context(overrides));
}

const mentions = (extra: Record<string, unknown>) => ({ 'm.mentions': extra });
const QUIET = { notify: false, highlight: false };
const NOTIFY = { notify: true, highlight: false };
const SOUND = { notify: true, highlight: false, sound: 'default' };
const HIGHLIGHT = { notify: true, highlight: true };

interface Case {
  rule: string;
  triggers: [unknown, Partial<PushContext>?];
  outcome: Partial<PushEvaluation>;
  /** An event that looks similar but is decided by another rule (or none). */
  missedBy: [unknown, Partial<PushContext>?];
  missedOutcome: string | undefined;
}

const cases: Case[] = [
  {
    rule: '.m.rule.suppress_notices',
    triggers: [message('bot says hi', { msgtype: 'm.notice' })],
    outcome: QUIET,
    missedBy: [message('hi', { msgtype: 'm.text' })],
    missedOutcome: '.m.rule.message',
  },
  {
    rule: '.m.rule.invite_for_me',
    triggers: [stateEvent('m.room.member', ALICE, { membership: 'invite' })],
    outcome: SOUND,
    missedBy: [stateEvent('m.room.member', '@carol:example.org', { membership: 'invite' })],
    missedOutcome: '.m.rule.member_event',
  },
  {
    rule: '.m.rule.member_event',
    triggers: [stateEvent('m.room.member', BOB, { membership: 'join' })],
    outcome: QUIET,
    missedBy: [stateEvent('m.room.name', '', { name: 'member' })],
    missedOutcome: undefined,
  },
  {
    rule: '.m.rule.is_user_mention',
    triggers: [message('hey', mentions({ user_ids: ['@carol:example.org', ALICE] }))],
    outcome: { ...HIGHLIGHT, sound: 'default' },
    missedBy: [message('hey alice', mentions({ user_ids: [BOB] }))],
    missedOutcome: '.m.rule.message',
  },
  {
    rule: '.m.rule.is_room_mention',
    triggers: [message('everyone!', mentions({ room: true })), { senderPowerLevel: 50 }],
    outcome: HIGHLIGHT,
    missedBy: [message('everyone!', mentions({ room: true })), { senderPowerLevel: 49 }],
    missedOutcome: '.m.rule.message',
  },
  {
    rule: '.m.rule.tombstone',
    triggers: [stateEvent('m.room.tombstone', '', { replacement_room: '!new:example.org' })],
    outcome: HIGHLIGHT,
    // "no implicit condition for state_key": a non-state tombstone is not upgraded rooms.
    missedBy: [event('m.room.tombstone', { replacement_room: '!new:example.org' })],
    missedOutcome: undefined,
  },
  {
    rule: '.m.rule.reaction',
    triggers: [event('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', key: '👍' } }), { roomMemberCount: 2 }],
    outcome: QUIET,
    missedBy: [event('m.reactions'), { roomMemberCount: 2 }],
    missedOutcome: undefined,
  },
  {
    rule: '.m.rule.room.server_acl',
    triggers: [stateEvent('m.room.server_acl', '', { allow: ['*'] })],
    outcome: QUIET,
    missedBy: [stateEvent('m.room.server_acl', 'not-empty', { allow: ['*'] })],
    missedOutcome: undefined,
  },
  {
    rule: '.m.rule.suppress_edits',
    triggers: [message('* fixed', { 'm.relates_to': { rel_type: 'm.replace', event_id: '$orig' } })],
    outcome: QUIET,
    missedBy: [message('in thread', { 'm.relates_to': { rel_type: 'm.thread', event_id: '$root' } })],
    missedOutcome: '.m.rule.message',
  },
  {
    rule: '.m.rule.call',
    triggers: [event('m.call.invite', { call_id: 'c', version: '1' })],
    outcome: { notify: true, highlight: false, sound: 'ring' },
    missedBy: [event('m.call.answer', { call_id: 'c' })],
    missedOutcome: undefined,
  },
  {
    rule: '.m.rule.encrypted_room_one_to_one',
    triggers: [event('m.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2' }), { roomMemberCount: 2 }],
    outcome: SOUND,
    missedBy: [event('m.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2' }), { roomMemberCount: 3 }],
    missedOutcome: '.m.rule.encrypted',
  },
  {
    rule: '.m.rule.room_one_to_one',
    triggers: [message('just us'), { roomMemberCount: 2 }],
    outcome: SOUND,
    missedBy: [message('many of us'), { roomMemberCount: 3 }],
    missedOutcome: '.m.rule.message',
  },
  {
    rule: '.m.rule.message',
    triggers: [message('hello')],
    outcome: NOTIFY,
    missedBy: [event('m.room.message.extra', { body: 'hello' })],
    missedOutcome: undefined,
  },
  {
    rule: '.m.rule.encrypted',
    triggers: [event('m.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2' })],
    outcome: NOTIFY,
    missedBy: [event('m.room.encrypted_not', {})],
    missedOutcome: undefined,
  },
];

describe('each default rule', () => {
  it('has a case here for every enabled default rule', () => {
    const enabled = Object.values(defaultPushRules(ALICE).global)
      .flat()
      .filter((rule) => rule.enabled)
      .map((rule) => rule.rule_id);
    expect(cases.map((c) => c.rule).sort()).toEqual(enabled.sort());
  });

  describe.each(cases)('$rule', ({ rule, triggers, outcome, missedBy, missedOutcome }) => {
    it('matches its event', () => {
      const result = evaluate(...triggers);
      expect(result.ruleId).toBe(rule);
      expect(result).toMatchObject(outcome);
      if (!('sound' in outcome)) expect(result.sound).toBeUndefined();
    });

    it('does not match a similar event', () => {
      expect(evaluate(...missedBy).ruleId).toBe(missedOutcome);
    });
  });

  describe('.m.rule.master', () => {
    it('is disabled by default, so it matches nothing', () => {
      expect(evaluate(message('hi')).ruleId).toBe('.m.rule.message');
    });

    it('when enabled, silences everything — even an invite or a mention', () => {
      const enabled = compilePushRules(
        mergeUserRules(defaultPushRules(ALICE), {}, new Map([[pushRuleKey('override', '.m.rule.master'), true]])),
      );
      for (const ev of [
        message('hi'),
        stateEvent('m.room.member', ALICE, { membership: 'invite' }),
        message('hey', mentions({ user_ids: [ALICE] })),
        {},
      ]) {
        const result = enabled.evaluate(ev, context());
        expect(result.ruleId).toBe('.m.rule.master');
        expect(result).toMatchObject(QUIET);
      }
    });
  });
});

describe('interplay of default rules (spec order decides)', () => {
  it('a notice that mentions the user is still suppressed', () => {
    const ev = message('alert', { msgtype: 'm.notice', ...mentions({ user_ids: [ALICE] }) });
    expect(evaluate(ev).ruleId).toBe('.m.rule.suppress_notices');
  });

  it('a mention in an edit highlights: is_user_mention precedes suppress_edits', () => {
    const ev = message('* hi', { ...mentions({ user_ids: [ALICE] }), 'm.relates_to': { rel_type: 'm.replace', event_id: '$o' } });
    expect(evaluate(ev).ruleId).toBe('.m.rule.is_user_mention');
  });

  it('a body mention alone no longer notifies specially (legacy rules are gone)', () => {
    const result = evaluate(message('hey @alice:example.org and alice, @room'), { displayName: 'alice', senderPowerLevel: 100 });
    expect(result.ruleId).toBe('.m.rule.message');
    expect(result.highlight).toBe(false);
  });

  it('an @room mention from a user with enough power in a 1:1 room highlights', () => {
    expect(evaluate(message('@room', mentions({ room: true })), { roomMemberCount: 2, senderPowerLevel: 100 }).ruleId).toBe(
      '.m.rule.is_room_mention',
    );
  });

  it('a reaction in a 1:1 room does not notify', () => {
    expect(evaluate(event('m.reaction', {}), { roomMemberCount: 2 })).toMatchObject({ ruleId: '.m.rule.reaction', notify: false });
  });

  it('unknown event types match nothing', () => {
    const result = evaluate(event('org.example.custom', { body: 'hello' }));
    expect(result.ruleId).toBeUndefined();
    expect(result).toMatchObject({ notify: false, highlight: false, actions: [], tweaks: {} });
  });
});
