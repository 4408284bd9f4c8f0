// Outcomes of the rules. `undefined` from a rule step means "this rule does not decide;
// continue with the next one", mirroring the spec's numbered fall-through.
import type { CheckResult } from '../types.ts';

export type { CheckResult };

export const ALLOW: CheckResult = Object.freeze({ allowed: true });

export function deny(reason: string): CheckResult {
  return { allowed: false, reason };
}

export type RuleOutcome = CheckResult | undefined;
