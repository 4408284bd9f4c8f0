// GET /pushrules/global/{kind}/{ruleId}, and its /enabled and /actions: one rule of the
// effective ruleset (server-default or the user's own); 404 M_NOT_FOUND when there is none.
import type { PushAction, PushRule } from '../../protocol/push/index.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { findRule, isStorableRuleId, requireKind, ruleNotFound } from './push-rule-params.ts';
import { pushRulesOfUser } from './rules-cache.ts';

export async function getPushRule(tenant: TenantContext, viewer: Viewer, kind: string, ruleId: string): Promise<PushRule> {
  const ruleKind = requireKind(kind);
  if (!isStorableRuleId(ruleId)) throw ruleNotFound();
  const rule = findRule(await pushRulesOfUser(tenant, viewer.userId), ruleKind, ruleId);
  if (!rule) throw ruleNotFound();
  return rule;
}

export async function getPushRuleEnabled(tenant: TenantContext, viewer: Viewer, kind: string, ruleId: string): Promise<{ enabled: boolean }> {
  return { enabled: (await getPushRule(tenant, viewer, kind, ruleId)).enabled };
}

export async function getPushRuleActions(tenant: TenantContext, viewer: Viewer, kind: string, ruleId: string): Promise<{ actions: PushAction[] }> {
  return { actions: [...(await getPushRule(tenant, viewer, kind, ruleId)).actions] };
}
