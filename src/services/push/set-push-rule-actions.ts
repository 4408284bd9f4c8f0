// PUT /pushrules/global/{kind}/{ruleId}/actions: { "actions": [...] }, for own and
// server-default rules alike ("This can be used to change the actions of builtin rules").
import { MatrixError } from '../../errors/matrix-error.ts';
import { validatePushActions } from '../../protocol/push/index.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { requireStorableJson } from '../validation/storable-json.ts';
import { requireKind, requireRuleSize } from './push-rule-params.ts';
import { setPushRuleAttribute } from './set-push-rule-attribute.ts';

export async function setPushRuleActions(tenant: TenantContext, viewer: Viewer, kind: string, ruleId: string, body: unknown): Promise<Record<string, never>> {
  const ruleKind = requireKind(kind);
  const validation = validatePushActions(body);
  if (!validation.ok) throw new MatrixError(validation.errcode, validation.error);
  requireStorableJson(validation.actions, 'The actions');
  requireRuleSize(validation.actions, 'The actions');
  await setPushRuleAttribute(tenant, viewer.userId, ruleKind, ruleId, { actions: validation.actions });
  return {};
}
