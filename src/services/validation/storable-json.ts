// What PostgreSQL can store of a client's JSON and strings: text and jsonb refuse U+0000 and
// unpaired surrogates, and deeply nested values would exhaust stacks. Services check input
// they store as given, so such input is 400 M_BAD_JSON rather than a database error.
import { MatrixError } from '../../errors/matrix-error.ts';

/** Deepest nesting accepted in JSON that is stored as given (account data, tags). */
export const MAX_STORED_JSON_DEPTH = 100;

/**
 * Checks that a client's JSON can be stored as PostgreSQL text/jsonb: no U+0000 and no lone
 * surrogates in any string or key (PostgreSQL refuses both), nesting at most
 * MAX_STORED_JSON_DEPTH deep. 400 M_BAD_JSON otherwise.
 */
export function requireStorableJson(value: unknown, name = 'The request body'): void {
  const stack: Array<[unknown, number]> = [[value, 0]];
  const badString = (s: string): boolean => s.includes('\u0000') || !s.isWellFormed();
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (typeof item === 'string') {
      if (badString(item)) throw new MatrixError('M_BAD_JSON', `${name} contains a string with U+0000 or an unpaired surrogate`);
      continue;
    }
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_STORED_JSON_DEPTH) throw new MatrixError('M_BAD_JSON', `${name} is nested more than ${MAX_STORED_JSON_DEPTH} levels deep`);
    if (Array.isArray(item)) {
      for (const element of item) stack.push([element, depth + 1]);
      continue;
    }
    for (const [key, element] of Object.entries(item)) {
      if (badString(key)) throw new MatrixError('M_BAD_JSON', `${name} contains a key with U+0000 or an unpaired surrogate`);
      stack.push([element, depth + 1]);
    }
  }
}

/** A string that PostgreSQL can store (no U+0000, no lone surrogates): 400 otherwise, with
 * M_BAD_JSON for body values and M_INVALID_PARAM for path parameters. */
export function requireStorableString(value: string, name: string, errcode: 'M_BAD_JSON' | 'M_INVALID_PARAM' = 'M_BAD_JSON'): void {
  if (value.includes('\u0000') || !value.isWellFormed()) throw new MatrixError(errcode, `${name} contains U+0000 or an unpaired surrogate`);
}
