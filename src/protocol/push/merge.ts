// How a user's rules and the server-default rules combine ("Predefined Rules"): within each
// kind, user-defined rules come before server-default ones, except that .m.rule.master
// "has always a higher priority than any other rule, even user defined ones". Users can
// enable/disable any rule and replace the actions of any rule, defaults included; those
// choices are stored apart from the rules and applied here.
import { stripHistoricalActions } from './actions.ts';
import { MASTER_RULE_ID } from './default-rules.ts';
import { PUSH_RULE_KINDS, type PushAction, type PushRule, type PushRuleKind, type PushRules, type UserPushRules } from './types.ts';

/** The key of a rule in the override maps. Kinds never contain "/", so the first "/" splits
 * it unambiguously whatever the rule ID holds. */
export function pushRuleKey(kind: PushRuleKind, ruleId: string): string {
  return `${kind}/${ruleId}`;
}

export type EnabledOverrides = ReadonlyMap<string, boolean>;
export type ActionsOverrides = ReadonlyMap<string, readonly PushAction[]>;

function applyOverrides(kind: PushRuleKind, rule: PushRule, isDefault: boolean, enabled: EnabledOverrides, actions: ActionsOverrides): PushRule {
  const key = pushRuleKey(kind, rule.rule_id);
  return {
    ...rule,
    default: isDefault,
    enabled: enabled.get(key) ?? rule.enabled,
    actions: stripHistoricalActions(actions.get(key) ?? rule.actions),
  };
}

function userRulesOfKind(userRules: UserPushRules, kind: PushRuleKind, defaultIds: ReadonlySet<string>): PushRule[] {
  const seen = new Set<string>();
  const rules: PushRule[] = [];
  for (const rule of userRules[kind] ?? []) {
    // A user rule can never shadow or impersonate a server-default one; IDs are unique per kind.
    if (rule.rule_id.startsWith('.') || defaultIds.has(rule.rule_id) || seen.has(rule.rule_id)) continue;
    seen.add(rule.rule_id);
    rules.push(rule);
  }
  return rules;
}

/**
 * The effective ruleset, as GET /pushrules/ returns it and evaluation uses it. `userRules`
 * lists each kind most important first; the override maps are keyed by pushRuleKey.
 * Returns new objects; the inputs are not modified.
 */
export function mergeUserRules(
  defaults: PushRules,
  userRules: UserPushRules,
  enabledOverrides: EnabledOverrides = new Map(),
  actionsOverrides: ActionsOverrides = new Map(),
): PushRules {
  const merge = (kind: PushRuleKind): PushRule[] => {
    const serverDefaults = defaults.global[kind];
    const defaultIds = new Set(serverDefaults.map((rule) => rule.rule_id));
    const first = serverDefaults.filter((rule) => rule.rule_id === MASTER_RULE_ID);
    const rest = serverDefaults.filter((rule) => rule.rule_id !== MASTER_RULE_ID);
    const own = userRulesOfKind(userRules, kind, defaultIds);
    return [
      ...first.map((rule) => applyOverrides(kind, rule, true, enabledOverrides, actionsOverrides)),
      ...own.map((rule) => applyOverrides(kind, rule, false, enabledOverrides, actionsOverrides)),
      ...rest.map((rule) => applyOverrides(kind, rule, true, enabledOverrides, actionsOverrides)),
    ];
  };
  const global = {} as Record<PushRuleKind, PushRule[]>;
  for (const kind of PUSH_RULE_KINDS) global[kind] = merge(kind);
  return { global };
}
