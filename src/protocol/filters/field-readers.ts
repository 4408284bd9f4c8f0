// Typed readers for the optional properties of a filter. Each reader records a problem in
// `problems` instead of throwing and returns undefined, so a whole filter is read in one
// pass and the first problem is reported. `null` counts as absent: many JSON encoders write
// null for unset optional fields, and it carries no other meaning here.
import { isJsonObject, type JsonRecord } from '../json-object.ts';

export type Problems = string[];

function present(object: JsonRecord, key: string): boolean {
  return Object.hasOwn(object, key) && object[key] !== null;
}

export function readBoolean(object: JsonRecord, key: string, path: string, problems: Problems): boolean | undefined {
  if (!present(object, key)) return undefined;
  const value = object[key];
  if (typeof value === 'boolean') return value;
  problems.push(`${path}${key} must be a boolean`);
  return undefined;
}

export function readObject(object: JsonRecord, key: string, path: string, problems: Problems): JsonRecord | undefined {
  if (!present(object, key)) return undefined;
  const value = object[key];
  if (isJsonObject(value)) return value;
  problems.push(`${path}${key} must be an object`);
  return undefined;
}

/** A list of strings, each starting with `sigil` when one is given (`@` for user IDs and `!`
 * for room IDs: the schema's `pattern`). */
export function readStringList(
  object: JsonRecord,
  key: string,
  path: string,
  problems: Problems,
  sigil?: string,
): readonly string[] | undefined {
  if (!present(object, key)) return undefined;
  const value = object[key];
  if (!Array.isArray(value)) {
    problems.push(`${path}${key} must be an array of strings`);
    return undefined;
  }
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== 'string') {
      problems.push(`${path}${key}[${i}] must be a string`);
      return undefined;
    }
    if (sigil !== undefined && !item.startsWith(sigil)) {
      problems.push(`${path}${key}[${i}] must start with "${sigil}"`);
      return undefined;
    }
  }
  return Object.freeze([...(value as string[])]);
}

/**
 * `limit`: an integer. The spec asks for one "greater than 0"; we also accept 0, which
 * Synapse and ruma-based servers accept and clients use to ask for state without timeline
 * events. Negative, fractional and unsafe integers are rejected.
 */
export function readLimit(object: JsonRecord, key: string, path: string, problems: Problems): number | undefined {
  if (!present(object, key)) return undefined;
  const value = object[key];
  if (Number.isSafeInteger(value) && (value as number) >= 0) return (value as number) + 0;
  problems.push(`${path}${key} must be a non-negative integer`);
  return undefined;
}

/** A copy of `object` without its undefined properties, frozen. */
export function frozenDefined<T extends object>(object: T): T {
  const entries = Object.entries(object).filter(([, value]) => value !== undefined);
  return Object.freeze(Object.fromEntries(entries)) as T;
}
