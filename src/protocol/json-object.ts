// Reading and building JSON objects that hold untrusted keys. Events and request bodies come
// from JSON.parse, so a key such as "__proto__" is an ordinary own property: reads must ask
// for own properties only, and writes must not go through the prototype setter.

export type JsonRecord = Record<string, unknown>;

/** A JSON object: not null, not an array. */
export function isJsonObject(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The own property `key` of `value`, or undefined when `value` is not an object or lacks it. */
export function ownValue(value: unknown, key: string): unknown {
  return isJsonObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** Sets an own, enumerable property even when `key` is "__proto__" (the only accessor that
 * Object.prototype has, so every other key can be assigned plainly, which is much faster). */
export function setOwn(target: JsonRecord, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A deep copy of a JSON value, frozen throughout, so it can be shared without defensive
 * copies. Input must be acyclic (anything parsed from JSON is). */
export function deepFrozenCopy<T>(value: T): T {
  if (Array.isArray(value)) return Object.freeze(value.map(deepFrozenCopy)) as T;
  if (!isJsonObject(value)) return value;
  const copy: JsonRecord = {};
  for (const key of Object.keys(value)) setOwn(copy, key, deepFrozenCopy(value[key]));
  return Object.freeze(copy) as T;
}
