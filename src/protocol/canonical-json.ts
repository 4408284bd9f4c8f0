// Canonical JSON (spec appendices, "Canonical JSON"): UTF-8, no insignificant whitespace,
// object keys ordered by Unicode code point, integers only within ±(2^53 − 1).

export class CanonicalJsonError extends Error {
  override name = 'CanonicalJsonError';
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** Orders two strings by Unicode code point (JS `<` compares UTF-16 code units, which
 * puts U+E000–U+FFFF after astral characters; the spec wants code point order). */
export function compareCodePoints(a: string, b: string): number {
  const len = Math.min(a.length, b.length);
  for (let i = 0; i < len; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // Only when one unit is a surrogate and the other is at or above U+E000 does code-unit
    // order disagree with code-point order.
    const sa = ca >= 0xd800 && ca <= 0xdfff;
    const sb = cb >= 0xd800 && cb <= 0xdfff;
    if (sa !== sb) return sa ? 1 : -1;
    return ca - cb;
  }
  return a.length - b.length;
}

function needsCodePointSort(keys: string[]): boolean {
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) {
      if (k.charCodeAt(i) >= 0xd800) return true;
    }
  }
  return false;
}

function encode(value: unknown, out: string[], path: string): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isInteger(value)) throw new CanonicalJsonError(`non-integer number at ${path}`);
      if (value > MAX_SAFE || value < -MAX_SAFE) throw new CanonicalJsonError(`integer out of range at ${path}`);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object': {
      if (value === null) {
        out.push('null');
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          const item: unknown = value[i];
          if (item === undefined) throw new CanonicalJsonError(`undefined at ${path}[${i}]`);
          encode(item, out, `${path}[${i}]`);
        }
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        throw new CanonicalJsonError(`unsupported object at ${path}`);
      }
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
      if (needsCodePointSort(keys)) keys.sort(compareCodePoints);
      else keys.sort();
      out.push('{');
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i] as string;
        if (i > 0) out.push(',');
        out.push(JSON.stringify(k), ':');
        encode(obj[k], out, `${path}.${k}`);
      }
      out.push('}');
      return;
    }
    default:
      throw new CanonicalJsonError(`unsupported ${typeof value} at ${path}`);
  }
}

/** Encodes a value as canonical JSON. Throws CanonicalJsonError for values canonical JSON
 * cannot represent (floats, out-of-range integers, undefined in arrays, bigint, functions,
 * class instances). Object properties whose value is undefined are omitted, as JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  encode(value, out, '$');
  return out.join('');
}
