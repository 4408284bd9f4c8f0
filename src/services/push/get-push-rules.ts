// GET /pushrules/ ({ global: ruleset }) and GET /pushrules/global/ (the ruleset itself): the
// server-default rules merged with the user's own rules and choices.
import type { PushRules, PushRuleset } from '../../protocol/push/index.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { pushRulesOfUser } from './rules-cache.ts';

export function getPushRules(tenant: TenantContext, viewer: Viewer): Promise<PushRules> {
  return pushRulesOfUser(tenant, viewer.userId);
}

export async function getGlobalPushRules(tenant: TenantContext, viewer: Viewer): Promise<PushRuleset> {
  return (await pushRulesOfUser(tenant, viewer.userId)).global;
}
