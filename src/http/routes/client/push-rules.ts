// Push rules: GET /pushrules/ and /pushrules/global/, GET/PUT/DELETE
// /pushrules/global/{kind}/{ruleId} (before/after on PUT), GET/PUT …/enabled, GET/PUT …/actions.
import type { FastifyInstance } from 'fastify';
import { deletePushRule } from '../../../services/push/delete-push-rule.ts';
import { getPushRule, getPushRuleActions, getPushRuleEnabled } from '../../../services/push/get-push-rule.ts';
import { getGlobalPushRules, getPushRules } from '../../../services/push/get-push-rules.ts';
import { setPushRule } from '../../../services/push/set-push-rule.ts';
import { setPushRuleActions } from '../../../services/push/set-push-rule-actions.ts';
import { setPushRuleEnabled } from '../../../services/push/set-push-rule-enabled.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, queryParam } from '../../validation.ts';

interface RuleParams {
  kind: string;
  ruleId: string;
}

const BASE = '/_matrix/client/v3/pushrules';
const RULE = `${BASE}/global/:kind/:ruleId`;
const auth = { config: { auth: 'required' as const } };

export function pushRuleRoutes(app: FastifyInstance): void {
  // Clients ask with and without the trailing slash.
  for (const path of [`${BASE}/`, BASE]) {
    app.get(path, auth, async (request) => getPushRules(request.tenant, requesterOf(request)));
  }
  for (const path of [`${BASE}/global/`, `${BASE}/global`]) {
    app.get(path, auth, async (request) => getGlobalPushRules(request.tenant, requesterOf(request)));
  }

  app.get<{ Params: RuleParams }>(RULE, auth, async (request) =>
    getPushRule(request.tenant, requesterOf(request), request.params.kind, request.params.ruleId),
  );
  app.put<{ Params: RuleParams }>(RULE, auth, async (request) => {
    const { kind, ruleId } = request.params;
    const before = queryParam(request.query, 'before');
    const after = queryParam(request.query, 'after');
    return setPushRule(request.tenant, requesterOf(request), {
      kind,
      ruleId,
      position: { ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) },
      body: objectBody(request.body),
    });
  });
  app.delete<{ Params: RuleParams }>(RULE, auth, async (request) =>
    deletePushRule(request.tenant, requesterOf(request), request.params.kind, request.params.ruleId),
  );

  app.get<{ Params: RuleParams }>(`${RULE}/enabled`, auth, async (request) =>
    getPushRuleEnabled(request.tenant, requesterOf(request), request.params.kind, request.params.ruleId),
  );
  app.put<{ Params: RuleParams }>(`${RULE}/enabled`, auth, async (request) =>
    setPushRuleEnabled(request.tenant, requesterOf(request), request.params.kind, request.params.ruleId, objectBody(request.body)),
  );
  app.get<{ Params: RuleParams }>(`${RULE}/actions`, auth, async (request) =>
    getPushRuleActions(request.tenant, requesterOf(request), request.params.kind, request.params.ruleId),
  );
  app.put<{ Params: RuleParams }>(`${RULE}/actions`, auth, async (request) =>
    setPushRuleActions(request.tenant, requesterOf(request), request.params.kind, request.params.ruleId, objectBody(request.body)),
  );
}
