// Properties of push rules over random input (fast-check): evaluation never throws and never
// reports a disabled rule; validation never throws and is idempotent; own events are silent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compilePushRules,
  defaultPushRules,
  mergeUserRules,
  PUSH_RULE_KINDS,
  pushRuleKey,
  validatePushRule,
  type PushContext,
  type PushRule,
  type PushRuleKind,
  type UserPushRules,
} from '../../../src/protocol/push/index.ts';
import { ALICE } from './fixtures.ts';

const key = fc.constantFrom('type', 'content.body', 'content.msgtype', 'state_key', 'sender', 'content.m\\.mentions.room', 'content.list', 'a.b\\.c', '');
const primitive = fc.oneof(fc.string({ maxLength: 6 }), fc.integer(), fc.boolean(), fc.constant(null));
// Plain unit lists: fc.stringMatching is slow to generate from.
const pattern = fc.string({ unit: fc.constantFrom('a', 'B', '*', '?', '.', ' ', '_', '-', '[', ']', '\\', '😀'), maxLength: 8 });

const condition = fc.oneof(
  fc.record({ kind: fc.constant('event_match'), key, pattern }),
  fc.record({ kind: fc.constantFrom('event_property_is', 'event_property_contains'), key, value: primitive }),
  fc.constant({ kind: 'contains_display_name' }),
  fc.record({ kind: fc.constant('room_member_count'), is: fc.tuple(fc.constantFrom('', '==', '<', '>', '<=', '>='), fc.nat(20)).map(([op, n]) => `${op}${n}`) }),
  fc.record({ kind: fc.constant('sender_notification_permission'), key: fc.constantFrom('room', 'other') }),
  fc.record({ kind: fc.string({ maxLength: 5 }) }),
);

const actions = fc.array(
  fc.oneof(
    fc.constantFrom('notify', 'dont_notify', 'coalesce'),
    fc.record({ set_tweak: fc.constant('highlight'), value: fc.boolean() }),
    fc.constant({ set_tweak: 'highlight' }),
    fc.record({ set_tweak: fc.constant('sound'), value: fc.string({ maxLength: 5 }) }),
  ),
  { maxLength: 4 },
);

/** A body PUT /pushrules would accept for the kind. */
const body = fc.record({ actions, conditions: fc.array(condition, { maxLength: 3 }), pattern });

const ruleId = (kind: PushRuleKind) =>
  kind === 'room' ? fc.constantFrom('!r:example.org', '!other:example.org') : kind === 'sender' ? fc.constantFrom('@bob:example.org', '@carol:x') : fc.constantFrom('a', 'b', 'abc', 'rule', 'x_y');

/** A valid user rule of a random kind. */
const userRule = fc
  .constantFrom(...PUSH_RULE_KINDS)
  .chain((kind) => fc.tuple(fc.constant(kind), ruleId(kind), body))
  .map(([kind, id, b]) => {
    const result = validatePushRule(kind, id, b);
    if (!result.ok) throw new Error(`generator produced an invalid rule: ${result.error}`);
    return { kind, rule: result.rule };
  });

const userRules = fc.array(userRule, { maxLength: 8 }).map((entries) => {
  const rules: Partial<Record<PushRuleKind, PushRule[]>> = {};
  for (const { kind, rule } of entries) (rules[kind] ??= []).push(rule);
  return rules as UserPushRules;
});

const jsonish = fc.jsonValue({ maxDepth: 2 });

/** Events shaped enough to reach the conditions, with arbitrary values in the slots. */
const event = fc.oneof(
  jsonish,
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('m.room.message', 'm.room.member', 'm.room.encrypted', 'm.reaction', 'm.room.tombstone'), jsonish),
      sender: fc.oneof(fc.constantFrom('@bob:example.org', ALICE, '@carol:x'), jsonish),
      room_id: fc.oneof(fc.constantFrom('!r:example.org', '!other:example.org'), jsonish),
      state_key: fc.oneof(fc.constantFrom('', ALICE), jsonish),
      content: fc.oneof(
        fc.record(
          {
            body: fc.oneof(fc.string({ maxLength: 30 }), jsonish),
            msgtype: fc.oneof(fc.constantFrom('m.text', 'm.notice'), jsonish),
            membership: fc.oneof(fc.constant('invite'), jsonish),
            'm.mentions': fc.oneof(fc.record({ user_ids: fc.oneof(fc.constant([ALICE]), jsonish), room: jsonish }, { requiredKeys: [] }), jsonish),
            list: fc.array(primitive, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        jsonish,
      ),
    },
    { requiredKeys: [] },
  ),
);

const pushContext: fc.Arbitrary<PushContext> = fc.record(
  {
    userId: fc.constant(ALICE),
    displayName: fc.string({ maxLength: 8 }),
    roomMemberCount: fc.oneof(fc.nat(20), fc.double()),
    senderPowerLevel: fc.oneof(fc.integer({ min: -10, max: 110 }), fc.constant(Number.POSITIVE_INFINITY)),
    notificationPowerLevels: fc.constant(new Map([['room', 50]])),
  },
  { requiredKeys: ['userId', 'roomMemberCount'] },
);

describe('evaluation', () => {
  it('never throws on arbitrary events, with arbitrary user rules', () => {
    fc.assert(
      fc.property(userRules, fc.array(event, { maxLength: 5 }), pushContext, (rules, events, ctx) => {
        const evaluator = compilePushRules(mergeUserRules(defaultPushRules(ALICE), rules));
        for (const ev of events) {
          const result = evaluator.evaluate(ev, ctx);
          expect(typeof result.notify).toBe('boolean');
          expect(!result.highlight || result.notify).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on anything at all', () => {
    const evaluator = compilePushRules(defaultPushRules(ALICE));
    fc.assert(
      fc.property(fc.anything(), (value) => {
        evaluator.evaluate(value, { userId: ALICE, roomMemberCount: 2 });
      }),
      { numRuns: 500 },
    );
  });

  it('never reports a disabled rule', () => {
    fc.assert(
      fc.property(userRules, fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), event, pushContext, (rules, switches, ev, ctx) => {
        const base = mergeUserRules(defaultPushRules(ALICE), rules);
        const all = PUSH_RULE_KINDS.flatMap((kind) => base.global[kind].map((rule) => ({ kind, rule })));
        const enabled = new Map(all.map(({ kind, rule }, i) => [pushRuleKey(kind, rule.rule_id), switches[i % switches.length] as boolean]));
        const merged = mergeUserRules(defaultPushRules(ALICE), rules, enabled);
        const result = compilePushRules(merged).evaluate(ev, ctx);
        if (result.ruleId !== undefined && result.kind !== undefined) {
          expect(enabled.get(pushRuleKey(result.kind, result.ruleId))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a rule that would match stops matching once disabled', () => {
    fc.assert(
      fc.property(body, event, pushContext, (b, ev, ctx) => {
        const valid = validatePushRule('override', 'probe', b);
        if (!valid.ok) return;
        const withRule = (enabled: boolean) =>
          compilePushRules(mergeUserRules({ global: { override: [], content: [], room: [], sender: [], underride: [] } }, { override: [{ ...valid.rule, enabled }] }));
        expect(withRule(false).evaluate(ev, ctx).ruleId).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it("never notifies the user of their own events", () => {
    fc.assert(
      fc.property(userRules, event, pushContext, (rules, ev, ctx) => {
        const own = typeof ev === 'object' && ev !== null && !Array.isArray(ev) ? { ...ev, sender: ALICE } : { sender: ALICE };
        const result = compilePushRules(mergeUserRules(defaultPushRules(ALICE), rules)).evaluate(own, ctx);
        expect(result.notify).toBe(false);
        expect(result.ruleId).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('an always-matching user override wins over every default except an enabled master', () => {
    fc.assert(
      fc.property(event, pushContext, fc.boolean(), (ev, ctx, masterOn) => {
        const always: PushRule = { rule_id: 'always', default: false, enabled: true, conditions: [], actions: ['notify'] };
        const enabled = new Map([[pushRuleKey('override', '.m.rule.master'), masterOn]]);
        const result = compilePushRules(mergeUserRules(defaultPushRules(ALICE), { override: [always] }, enabled)).evaluate(ev, ctx);
        const own = typeof ev === 'object' && ev !== null && !Array.isArray(ev) && (ev as Record<string, unknown>)['sender'] === ALICE;
        expect(result.ruleId).toBe(own ? undefined : masterOn ? '.m.rule.master' : 'always');
      }),
      { numRuns: 300 },
    );
  });
});

describe('validation', () => {
  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), fc.anything(), (kind, id, value) => {
        const result = validatePushRule(kind, id, value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on near-valid bodies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PUSH_RULE_KINDS), fc.record({ actions: fc.oneof(actions, jsonish), conditions: fc.oneof(fc.array(fc.oneof(condition, jsonish)), jsonish), pattern: jsonish }, { requiredKeys: [] }), (kind, b) => {
        const result = validatePushRule(kind, kind === 'room' ? '!r:x' : kind === 'sender' ? '@u:x' : 'id', b);
        if (!result.ok) expect(result.errcode).toBe('M_BAD_JSON');
      }),
      { numRuns: 500 },
    );
  });

  it('is idempotent: a validated rule validates to itself', () => {
    fc.assert(
      fc.property(userRule, ({ kind, rule }) => {
        const again = validatePushRule(kind, rule.rule_id, JSON.parse(JSON.stringify(rule)));
        expect(again).toEqual({ ok: true, rule });
      }),
      { numRuns: 300 },
    );
  });
});
