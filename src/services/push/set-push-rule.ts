// PUT /pushrules/global/{kind}/{ruleId}: creates or replaces one of the user's own rules.
// A new rule is enabled and, without before/after, the most important of its kind; an
// existing rule keeps its place and its enabled flag unless before/after move it. IDs
// starting with "." are server-default rules and cannot be set here (their actions and
// enabled flag can, through /actions and /enabled).
import { MatrixError } from '../../errors/matrix-error.ts';
import { PUSH_RULE_KINDS, placeUserRule, validatePushRule, type RulePosition } from '../../protocol/push/index.ts';
import { replaceKindRules } from '../../storage/push/push-rules.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { requireStorableJson } from '../validation/storable-json.ts';
import { changePushRules } from './change-push-rules.ts';
import { isStorableRuleId, MAX_RULE_ID_BYTES, requireKind, requireRuleSize } from './push-rule-params.ts';

/** Most rules of their own a user may have, all kinds together. */
export const MAX_USER_RULES = 500;

export interface SetPushRuleRequest {
  kind: string;
  ruleId: string;
  position: RulePosition;
  body: unknown;
}

export async function setPushRule(tenant: TenantContext, viewer: Viewer, request: SetPushRuleRequest): Promise<Record<string, never>> {
  const { kind, ruleId, position } = request;
  const ruleKind = requireKind(kind);
  if (!isStorableRuleId(ruleId)) {
    throw new MatrixError('M_INVALID_PARAM', `The rule ID must be at most ${MAX_RULE_ID_BYTES} bytes, without U+0000 or unpaired surrogates`);
  }
  for (const anchor of [position.before, position.after]) {
    if (anchor !== undefined && !isStorableRuleId(anchor)) throw new MatrixError('M_INVALID_PARAM', 'before/after must name a rule');
  }
  const validation = validatePushRule(kind, ruleId, request.body);
  if (!validation.ok) throw new MatrixError(validation.errcode, validation.error);
  requireStorableJson(request.body, 'The push rule');
  const rule = validation.rule;
  requireRuleSize(rule, 'The push rule');

  await changePushRules(tenant, viewer.userId, async (trx, stored) => {
    const own = stored.rules[ruleKind];
    const existing = own.find((r) => r.rule_id === ruleId);
    if (!existing) {
      const total = PUSH_RULE_KINDS.reduce((n, k) => n + stored.rules[k].length, 0);
      if (total >= MAX_USER_RULES) throw new MatrixError('M_INVALID_PARAM', `A user can have at most ${MAX_USER_RULES} push rules of their own`);
    }
    const placed = placeUserRule(own, { ...rule, enabled: existing?.enabled ?? true }, position);
    // The spec's example answers a missing anchor with 400 M_UNKNOWN.
    if (!placed.ok) throw new MatrixError(placed.errcode, placed.error, { status: 400 });
    await replaceKindRules(trx, viewer.userId, ruleKind, placed.rules);
  });
  return {};
}
