// DELETE /pushrules/global/{kind}/{ruleId}: removes one of the user's own rules. Server-
// default rules cannot be deleted (400 M_INVALID_PARAM; disabling them is the way).
import { MatrixError } from '../../errors/matrix-error.ts';
import { defaultPushRules } from '../../protocol/push/index.ts';
import { deleteOwnRule } from '../../storage/push/push-rules.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { changePushRules } from './change-push-rules.ts';
import { findRule, isServerDefaultId, isStorableRuleId, requireKind, ruleNotFound } from './push-rule-params.ts';

export async function deletePushRule(tenant: TenantContext, viewer: Viewer, kind: string, ruleId: string): Promise<Record<string, never>> {
  const ruleKind = requireKind(kind);
  if (!isStorableRuleId(ruleId)) throw ruleNotFound();
  if (isServerDefaultId(ruleId)) {
    if (findRule(defaultPushRules(viewer.userId), ruleKind, ruleId)) {
      throw new MatrixError('M_INVALID_PARAM', 'Server-default push rules cannot be deleted; disable the rule instead');
    }
    throw ruleNotFound();
  }
  await changePushRules(tenant, viewer.userId, async (trx) => {
    if (!(await deleteOwnRule(trx, viewer.userId, ruleKind, ruleId))) throw ruleNotFound();
  });
  return {};
}
