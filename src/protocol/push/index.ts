// Push rules (client-server API "Push Notifications"): the server-default rules, combining
// them with a user's rules, validating the push rule API's bodies, and evaluating rules
// against events. Pure: no I/O, no clock.
export { defaultPushRules, MASTER_RULE_ID } from './default-rules.ts';
export { mergeUserRules, pushRuleKey, type ActionsOverrides, type EnabledOverrides } from './merge.ts';
export { placeUserRule, type PlacementResult, type RulePosition } from './placement.ts';
export {
  userRuleIdProblem,
  validatePushActions,
  validatePushRule,
  validatePushRuleEnabled,
  type PushActionsValidation,
  type PushEnabledValidation,
  type PushRuleValidation,
} from './validate-rule.ts';
export { compilePushRules, evaluatePushRules, preparePushEvent, type CompiledPushRules, type PreparedPushEvent } from './compile.ts';
export { interpretActions, stripHistoricalActions, type ActionEffect } from './actions.ts';
export { DEFAULT_NOTIFICATION_POWER_LEVEL } from './condition-matchers.ts';
export {
  isPushRuleKind,
  PUSH_RULE_KINDS,
  type ConditionValue,
  type PushAction,
  type PushCondition,
  type PushContext,
  type PushErrcode,
  type PushEvaluation,
  type PushRule,
  type PushRuleKind,
  type PushRules,
  type PushRuleset,
  type PushValidationError,
  type TweakAction,
  type UserPushRules,
} from './types.ts';
