// Path parameters of the push rule API: the kind (M_INVALID_PARAM when unknown) and a rule
// ID that is safe to look up (PostgreSQL text refuses U+0000 and lone surrogates).
import { MatrixError } from '../../errors/matrix-error.ts';
import { isPushRuleKind, type PushRule, type PushRuleKind, type PushRules } from '../../protocol/push/index.ts';

/** Longest rule ID accepted (room and user IDs are at most 255 bytes). */
export const MAX_RULE_ID_BYTES = 1_024;

/** Only scope there is. */
export const GLOBAL_SCOPE = 'global';

export function requireKind(kind: string): PushRuleKind {
  if (!isPushRuleKind(kind)) throw new MatrixError('M_INVALID_PARAM', `Unknown push rule kind ${JSON.stringify(kind)}`);
  return kind;
}

/** Whether a rule ID could be stored (anything else cannot name an existing rule). */
export function isStorableRuleId(ruleId: string): boolean {
  return ruleId.length > 0 && !ruleId.includes('\u0000') && ruleId.isWellFormed() && Buffer.byteLength(ruleId) <= MAX_RULE_ID_BYTES;
}

export function ruleNotFound(): MatrixError {
  return new MatrixError('M_NOT_FOUND', 'The push rule was not found.');
}

/** The rule of this kind and ID in an effective ruleset. */
export function findRule(rules: PushRules, kind: PushRuleKind, ruleId: string): PushRule | undefined {
  return rules.global[kind].find((rule) => rule.rule_id === ruleId);
}

/** Server-default rule IDs start with "."; users cannot create such IDs. */
export function isServerDefaultId(ruleId: string): boolean {
  return ruleId.startsWith('.');
}

/** Largest rule (or actions list) stored, as JSON: every event is evaluated against it. */
export const MAX_RULE_JSON_BYTES = 16_384;

export function requireRuleSize(value: unknown, what: string): void {
  const size = Buffer.byteLength(JSON.stringify(value));
  if (size > MAX_RULE_JSON_BYTES) throw new MatrixError('M_TOO_LARGE', `${what} is ${size} bytes as JSON; the limit is ${MAX_RULE_JSON_BYTES}`);
}
