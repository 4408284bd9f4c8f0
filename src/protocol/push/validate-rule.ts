// Request bodies of the push rule API (pushrules.yaml): PUT …/{kind}/{ruleId}, PUT …/actions
// and PUT …/enabled. Error codes: a bad path parameter (kind, rule ID) is M_INVALID_PARAM ("A
// parameter that was specified has the wrong value"); anything wrong with the JSON body —
// not an object, a required key missing, a value of the wrong type or meaning — is
// M_BAD_JSON ("valid JSON, but … missing required keys, invalid values for keys").
import { isJsonObject } from '../json-object.ts';
import { parseRoomId, parseUserId } from '../ids.ts';
import { validateActions } from './actions.ts';
import { readCondition, storedCondition } from './conditions.ts';
import { isPushRuleKind, type PushAction, type PushCondition, type PushRule, type PushRuleKind, type PushValidationError } from './types.ts';

export type PushRuleValidation = { readonly ok: true; readonly rule: PushRule } | PushValidationError;
export type PushActionsValidation = { readonly ok: true; readonly actions: PushAction[] } | PushValidationError;
export type PushEnabledValidation = { readonly ok: true; readonly enabled: boolean } | PushValidationError;

function badJson(error: string): PushValidationError {
  return { ok: false, errcode: 'M_BAD_JSON', error };
}

function invalidParam(error: string): PushValidationError {
  return { ok: false, errcode: 'M_INVALID_PARAM', error };
}

/** Why `ruleId` cannot name a user-defined rule of `kind`, or undefined when it can. */
export function userRuleIdProblem(kind: PushRuleKind, ruleId: unknown): string | undefined {
  if (typeof ruleId !== 'string' || ruleId === '') return 'the rule ID must be a non-empty string';
  if (ruleId.startsWith('.')) return 'rule IDs starting with "." are reserved for server-default rules';
  if (ruleId.includes('/') || ruleId.includes('\\')) return 'rule IDs cannot contain "/" or "\\"';
  // "The rule_id of a room rule is always the ID of the room"; likewise senders.
  if (kind === 'room' && !parseRoomId(ruleId)) return 'the rule ID of a room rule must be a room ID';
  if (kind === 'sender' && !parseUserId(ruleId)) return 'the rule ID of a sender rule must be a user ID';
  return undefined;
}

function readConditions(value: unknown): PushCondition[] | PushValidationError {
  // "MAY have a list of conditions"; none (or null) means the rule always matches.
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return badJson('conditions must be an array');
  const conditions: PushCondition[] = [];
  for (let i = 0; i < value.length; i++) {
    const reading = readCondition(value[i], `conditions[${i}]`);
    if (!reading.ok) return badJson(reading.error);
    conditions.push(storedCondition(reading.condition));
  }
  return conditions;
}

/**
 * Validates PUT /pushrules/global/{kind}/{ruleId} and returns the rule to store: enabled,
 * not default, actions without historical entries, conditions reduced to their defined
 * parameters. Room and sender rules ignore conditions and pattern in the body.
 */
export function validatePushRule(kind: string, ruleId: string, body: unknown): PushRuleValidation {
  if (!isPushRuleKind(kind)) return invalidParam(`unknown push rule kind ${JSON.stringify(String(kind))}`);
  const idProblem = userRuleIdProblem(kind, ruleId);
  if (idProblem) return invalidParam(idProblem);
  if (!isJsonObject(body)) return badJson('the body must be a JSON object');
  if (body['actions'] === undefined || body['actions'] === null) return badJson('actions is required');
  const actions = validateActions(body['actions']);
  if (!actions.ok) return badJson(actions.error);
  const base = { rule_id: ruleId, default: false, enabled: true, actions: actions.actions };
  switch (kind) {
    case 'override':
    case 'underride': {
      const conditions = readConditions(body['conditions']);
      return Array.isArray(conditions) ? { ok: true, rule: { ...base, conditions } } : conditions;
    }
    case 'content': {
      const pattern = body['pattern'];
      if (pattern === undefined || pattern === null) return badJson('content rules need a pattern');
      if (typeof pattern !== 'string') return badJson('pattern must be a string');
      return { ok: true, rule: { ...base, pattern } };
    }
    case 'room':
    case 'sender':
      return { ok: true, rule: base };
  }
}

/** Validates PUT …/{ruleId}/actions (allowed on server-default rules too). */
export function validatePushActions(body: unknown): PushActionsValidation {
  if (!isJsonObject(body)) return badJson('the body must be a JSON object');
  if (body['actions'] === undefined || body['actions'] === null) return badJson('actions is required');
  const actions = validateActions(body['actions']);
  return actions.ok ? { ok: true, actions: actions.actions } : badJson(actions.error);
}

/** Validates PUT …/{ruleId}/enabled. */
export function validatePushRuleEnabled(body: unknown): PushEnabledValidation {
  if (!isJsonObject(body)) return badJson('the body must be a JSON object');
  const enabled = body['enabled'];
  return typeof enabled === 'boolean' ? { ok: true, enabled } : badJson('enabled must be a boolean');
}
