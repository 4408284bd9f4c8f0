// Dot-separated property paths (appendices "Dot-separated property paths"), used by push rule
// conditions and by the event_fields of filters. `content.m\.relates_to` names the property
// "m.relates_to" of `content`; `\\` is a literal backslash; any other backslash sequence is
// left as-is (`\x` is a backslash followed by x), as is a trailing lone backslash.
import { isJsonObject } from './json-object.ts';

/** Splits a path into property names, resolving the `\.` and `\\` escapes. */
export function parsePropertyPath(path: string): string[] {
  const names: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i];
    if (char === '\\') {
      const next = path[i + 1];
      if (next === '.' || next === '\\') {
        current += next;
        i++;
      } else {
        current += char;
      }
    } else if (char === '.') {
      names.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  names.push(current);
  return names;
}

/** The path segment naming `name`: dots and backslashes escaped. */
export function escapePropertyName(name: string): string {
  return name.replace(/[\\.]/g, (char) => `\\${char}`);
}

/** Joins property names into a path; the inverse of parsePropertyPath. */
export function formatPropertyPath(names: readonly string[]): string {
  return names.map(escapePropertyName).join('.');
}

/**
 * The value at `names` inside `root`, or undefined when any step is missing. Only objects
 * are descended into (arrays have no named properties in this scheme), and only own
 * properties count, so "__proto__" or "constructor" never reach the prototype.
 */
export function lookupProperty(root: unknown, names: readonly string[]): unknown {
  let value: unknown = root;
  for (const name of names) {
    if (!isJsonObject(value) || !Object.hasOwn(value, name)) return undefined;
    value = value[name];
  }
  return value;
}
