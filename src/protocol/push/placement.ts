// Where PUT /pushrules/global/{kind}/{ruleId} puts a rule among the user's own rules of that
// kind (pushrules.yaml): an existing rule is updated in place; a new one becomes the most
// important user rule; `before`/`after` name a user rule to sit next to, `before` winning
// when both are given. Server-default rules cannot be anchors ("It is not possible to add a
// rule relative to a predefined server rule"), and a missing anchor is the spec example's
// 400 M_UNKNOWN "before/after rule not found".
import type { PushRule } from './types.ts';

export interface RulePosition {
  readonly before?: string;
  readonly after?: string;
}

export type PlacementResult =
  | { readonly ok: true; readonly rules: PushRule[] }
  | { readonly ok: false; readonly errcode: 'M_UNKNOWN' | 'M_INVALID_PARAM'; readonly error: string };

/** `rules` (one kind, most important first) with `rule` inserted or replaced. */
export function placeUserRule(rules: readonly PushRule[], rule: PushRule, position: RulePosition = {}): PlacementResult {
  const anchorId = position.before ?? position.after;
  const existing = rules.findIndex((candidate) => candidate.rule_id === rule.rule_id);
  if (anchorId === undefined) {
    if (existing >= 0) return { ok: true, rules: rules.map((candidate, i) => (i === existing ? rule : candidate)) };
    return { ok: true, rules: [rule, ...rules] };
  }
  if (anchorId.startsWith('.')) {
    return { ok: false, errcode: 'M_INVALID_PARAM', error: `cannot place a rule relative to the server-default rule ${anchorId}` };
  }
  const others = rules.filter((candidate) => candidate.rule_id !== rule.rule_id);
  const anchor = others.findIndex((candidate) => candidate.rule_id === anchorId);
  if (anchor < 0) return { ok: false, errcode: 'M_UNKNOWN', error: `before/after rule not found: ${anchorId}` };
  const at = position.before !== undefined ? anchor : anchor + 1;
  return { ok: true, rules: [...others.slice(0, at), rule, ...others.slice(at)] };
}
