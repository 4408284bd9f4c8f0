// Guards for reading untrusted JSON. Events from the network may have any shape, and keys
// such as "__proto__" or "constructor" are ordinary data, so lookups go through Object.hasOwn.

export type JsonRecord = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own property of an object, or undefined (never the prototype's). */
export function own(obj: unknown, key: string): unknown {
  return isRecord(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function hasOwnKey(obj: unknown, key: string): boolean {
  return isRecord(obj) && Object.hasOwn(obj, key);
}

/** An own string property, or undefined. */
export function ownString(obj: unknown, key: string): string | undefined {
  const value = own(obj, key);
  return typeof value === 'string' ? value : undefined;
}

/** An own object property, or undefined. */
export function ownRecord(obj: unknown, key: string): JsonRecord | undefined {
  const value = own(obj, key);
  return isRecord(value) ? value : undefined;
}
