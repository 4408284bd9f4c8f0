// Outcomes of the rules: allow, or deny with the rule that failed as the reason.
import type { CheckResult } from '../types.ts';

export type { CheckResult };

export const ALLOW: CheckResult = Object.freeze({ allowed: true });

export function deny(reason: string): CheckResult {
  return { allowed: false, reason };
}
