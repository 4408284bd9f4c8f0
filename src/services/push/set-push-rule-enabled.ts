// PUT /pushrules/global/{kind}/{ruleId}/enabled: { "enabled": boolean }, for own and
// server-default rules alike.
import { MatrixError } from '../../errors/matrix-error.ts';
import { validatePushRuleEnabled } from '../../protocol/push/index.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { requireKind } from './push-rule-params.ts';
import { setPushRuleAttribute } from './set-push-rule-attribute.ts';

export async function setPushRuleEnabled(tenant: TenantContext, viewer: Viewer, kind: string, ruleId: string, body: unknown): Promise<Record<string, never>> {
  const ruleKind = requireKind(kind);
  const validation = validatePushRuleEnabled(body);
  if (!validation.ok) throw new MatrixError(validation.errcode, validation.error);
  await setPushRuleAttribute(tenant, viewer.userId, ruleKind, ruleId, { enabled: validation.enabled });
  return {};
}
