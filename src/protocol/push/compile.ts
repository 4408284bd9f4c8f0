// Evaluating a user's push rules: override, content, room, sender, underride, each list in
// order; the first enabled rule whose conditions all hold decides the actions. Compiling does
// all parsing up front (paths, globs, member-count comparisons, the actions' effect), so
// evaluating an event is a walk over closures. Disabled rules, and rules that cannot match
// (an unrecognised or malformed condition, a content rule without a pattern), are left out.
import { compileGlob } from '../glob.ts';
import { deepFrozenCopy, isJsonObject } from '../json-object.ts';
import { interpretActions } from './actions.ts';
import { BODY_KEY, compileCondition, textMatcher, type Matcher } from './condition-matchers.ts';
import { readCondition } from './conditions.ts';
import { EventView } from './event-view.ts';
import { PUSH_RULE_KINDS, type PushAction, type PushContext, type PushEvaluation, type PushRuleKind, type PushRules } from './types.ts';

interface CompiledRule {
  readonly matches: Matcher;
  readonly outcome: PushEvaluation;
}

/** An event prepared once for evaluation against many users' rules: property lookups and
 * case folding are then shared. The event must not change while it is in use. */
export type PreparedPushEvent = EventView;

export function preparePushEvent(event: unknown): PreparedPushEvent {
  return new EventView(event);
}

export interface CompiledPushRules {
  /** What the rules say about `event` (untrusted, raw or prepared; never throws). */
  evaluate(event: unknown, context: PushContext): PushEvaluation;
  /** How many rules can match: enabled and understood. */
  readonly activeRuleCount: number;
}

const NO_NOTIFICATION: PushEvaluation = Object.freeze({
  actions: Object.freeze([]) as readonly PushAction[],
  notify: false,
  highlight: false,
  tweaks: Object.freeze({}),
});

const ALWAYS: Matcher = () => true;

function conditionsMatcher(conditions: unknown): Matcher | undefined {
  if (conditions === undefined || conditions === null) return ALWAYS;
  if (!Array.isArray(conditions)) return undefined;
  const matchers: Matcher[] = [];
  for (const condition of conditions) {
    const reading = readCondition(condition, 'condition');
    const matcher = reading.ok ? compileCondition(reading.condition) : undefined;
    if (!matcher) return undefined;
    matchers.push(matcher);
  }
  if (matchers.length === 0) return ALWAYS;
  return (view, context) => {
    for (const matcher of matchers) if (!matcher(view, context)) return false;
    return true;
  };
}

/** Room and sender rules are keyed by ID; IDs are case-sensitive, so they compare exactly. */
function topLevelEquals(name: 'room_id' | 'sender', expected: string): Matcher {
  return (view) => view.topLevelString(name) === expected;
}

function ruleMatcher(kind: PushRuleKind, rule: Record<string, unknown>, ruleId: string): Matcher | undefined {
  switch (kind) {
    case 'override':
    case 'underride':
      return conditionsMatcher(rule['conditions']);
    case 'content': {
      const pattern = rule['pattern'];
      return typeof pattern === 'string' ? textMatcher(BODY_KEY, compileGlob(pattern, { caseInsensitive: true })) : undefined;
    }
    case 'room':
      return topLevelEquals('room_id', ruleId);
    case 'sender':
      return topLevelEquals('sender', ruleId);
  }
}

/** The actions evaluation reports: "notify" and well-formed tweaks. Historical actions are
 * ignored as the spec requires; so is anything else a stored rule may hold. */
function understoodActions(rawActions: unknown): PushAction[] {
  if (!Array.isArray(rawActions)) return [];
  return rawActions.filter(
    (action: unknown): action is PushAction =>
      action === 'notify' || (isJsonObject(action) && typeof action['set_tweak'] === 'string'),
  );
}

function freezeOutcome(kind: PushRuleKind, ruleId: string, rawActions: unknown): PushEvaluation {
  // Outcomes are shared by every evaluation that hits the rule, so nothing may change them,
  // and they must not alias the caller's ruleset.
  const actions = deepFrozenCopy(understoodActions(rawActions));
  const effect = interpretActions(actions);
  return Object.freeze({ ...effect, tweaks: Object.freeze(effect.tweaks), actions, ruleId, kind });
}

function compileRule(kind: PushRuleKind, rule: unknown): CompiledRule | undefined {
  if (!isJsonObject(rule) || rule['enabled'] !== true) return undefined;
  const ruleId = rule['rule_id'];
  if (typeof ruleId !== 'string') return undefined;
  const matches = ruleMatcher(kind, rule, ruleId);
  return matches && { matches, outcome: freezeOutcome(kind, ruleId, rule['actions']) };
}

/** Compiles a ruleset (typically mergeUserRules' output) for repeated evaluation. */
export function compilePushRules(rules: PushRules): CompiledPushRules {
  const compiled: CompiledRule[] = [];
  const ruleset: unknown = isJsonObject(rules) ? rules.global : undefined;
  for (const kind of PUSH_RULE_KINDS) {
    const list: unknown = isJsonObject(ruleset) ? ruleset[kind] : undefined;
    for (const rule of Array.isArray(list) ? list : []) {
      const entry = compileRule(kind, rule);
      if (entry) compiled.push(entry);
    }
  }
  return {
    activeRuleCount: compiled.length,
    evaluate(event: unknown, context: PushContext): PushEvaluation {
      const view = event instanceof EventView ? event : new EventView(event);
      // "Homeservers MUST NOT notify the Push Gateway for events that the user has sent themselves."
      const sender = view.topLevelString('sender');
      if (sender !== undefined && sender === context.userId) return NO_NOTIFICATION;
      for (const rule of compiled) if (rule.matches(view, context)) return rule.outcome;
      return NO_NOTIFICATION;
    },
  };
}

/** One-off evaluation; compile once with compilePushRules when evaluating many events. */
export function evaluatePushRules(rules: PushRules, event: unknown, context: PushContext): PushEvaluation {
  return compilePushRules(rules).evaluate(event, context);
}
