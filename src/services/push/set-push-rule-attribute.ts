// Changes one attribute of an existing rule, own or server-default: stored in the own rule's
// row, or as the user's choice about the default rule. 404 M_NOT_FOUND when neither exists.
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { defaultPushRules, type PushAction, type PushRuleKind } from '../../protocol/push/index.ts';
import { setDefaultRuleChoice, updateOwnRule } from '../../storage/push/push-rules.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { changePushRules } from './change-push-rules.ts';
import { findRule, isServerDefaultId, isStorableRuleId, ruleNotFound } from './push-rule-params.ts';

export type RuleAttributeChange = { enabled: boolean } | { actions: readonly PushAction[] };

export async function setPushRuleAttribute(tenant: TenantContext, userId: string, kind: PushRuleKind, ruleId: string, change: RuleAttributeChange): Promise<void> {
  if (!isStorableRuleId(ruleId)) throw ruleNotFound();
  const isDefault = isServerDefaultId(ruleId);
  if (isDefault && !findRule(defaultPushRules(userId), kind, ruleId)) throw ruleNotFound();
  await changePushRules(tenant, userId, async (trx: Transaction<TenantDatabase>) => {
    if (isDefault) await setDefaultRuleChoice(trx, userId, kind, ruleId, change);
    else if (!(await updateOwnRule(trx, userId, kind, ruleId, change))) throw ruleNotFound();
  });
}
