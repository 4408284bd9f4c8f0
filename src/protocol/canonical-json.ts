// Canonical JSON (spec appendices, "Canonical JSON"): the shortest UTF-8 JSON encoding, object
// keys ordered by Unicode code point, integers only within ±(2^53 − 1), no floats, no -0.
//
// Strings: JSON.stringify already produces exactly the spec grammar's escapes (\b \t \n \f \r
// \" \\ and lower-case \u00XX for the other controls, everything else literal, DEL included),
// except for lone surrogates, which it writes as \udXXX escapes the grammar does not allow and
// which UTF-8 cannot carry. Those strings have no canonical form, so they are refused.

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

/** Why a value cannot be encoded, and where: the path is assembled only when this is
 * thrown (each enclosing array or object adds its segment on the way out), so encoding
 * builds no path strings. */
class EncodeFailure extends Error {
  readonly segments: string[] = [];
  readonly reason: string;
  /** The failure is in an object key (the path names the object). */
  readonly atKey: boolean;
  constructor(reason: string, atKey = false) {
    super(reason);
    this.reason = reason;
    this.atKey = atKey;
  }
}

function withSegment(error: unknown, segment: string): unknown {
  if (error instanceof EncodeFailure) error.segments.push(segment);
  return error;
}

type NumberFormat = (value: number) => string;

function strictNumber(value: number): string {
  if (!Number.isInteger(value)) throw new EncodeFailure('non-integer number');
  if (value > MAX_SAFE || value < -MAX_SAFE) throw new EncodeFailure('integer out of range');
  return Object.is(value, -0) ? '0' : String(value);
}

/** Python's `repr(float)`, the form the reference implementations wrote floats in before room
 * version 6: shortest round-trip digits, positional for 1e-4 ≤ |x| < 1e16 (with ".0" when
 * integral), otherwise d.ddde±XX with at least two exponent digits. */
function pythonFloatRepr(value: number): string {
  const sign = value < 0 ? '-' : '';
  const [mantissa = '', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const decimalPoint = exponent + 1; // value = 0.<digits> × 10^decimalPoint
  if (decimalPoint <= -4 || decimalPoint > 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${digits[0]}${fraction}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (decimalPoint <= 0) return `${sign}0.${'0'.repeat(-decimalPoint)}${digits}`;
  if (decimalPoint < digits.length) return `${sign}${digits.slice(0, decimalPoint)}.${digits.slice(decimalPoint)}`;
  return `${sign}${digits}${'0'.repeat(decimalPoint - digits.length)}.0`;
}

function lenientNumber(value: number): string {
  if (!Number.isFinite(value)) throw new EncodeFailure('non-finite number');
  if (Number.isInteger(value)) {
    if (Object.is(value, -0)) return '0';
    // Beyond 2^53 the parsed double is all we have; print its exact integer value, which is
    // what the sender wrote whenever the sender's integer was representable.
    return Math.abs(value) <= MAX_SAFE ? String(value) : BigInt(value).toString();
  }
  return pythonFloatRepr(value);
}

/** A string; `atKey`: it is an object key (a failure names the object's path). */
function encodeString(text: string, atKey = false): string {
  if (!text.isWellFormed()) throw new EncodeFailure('lone surrogate in string', atKey);
  return JSON.stringify(text);
}

/** Sorts keys by code point, as canonical JSON orders an object's members. */
function sortKeys(keys: string[]): string[] {
  return needsCodePointSort(keys) ? keys.sort(compareCodePoints) : keys.sort();
}

/** `"key":value`; a failure in the value names the path through the key, one in the key
 * itself the object's path. */
function encodeMember(key: string, value: unknown, formatNumber: NumberFormat): string {
  const encodedKey = encodeString(key, true);
  try {
    return `${encodedKey}:${encode(value, formatNumber)}`;
  } catch (error) {
    throw withSegment(error, `.${key}`);
  }
}

function encodeArray(items: unknown[], formatNumber: NumberFormat): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    try {
      if (item === undefined) throw new EncodeFailure('undefined');
      out += i > 0 ? `,${encode(item, formatNumber)}` : encode(item, formatNumber);
    } catch (error) {
      throw withSegment(error, `[${i}]`);
    }
  }
  return out + ']';
}

function encodeObject(value: object, formatNumber: NumberFormat): string {
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw new EncodeFailure('unsupported object');
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  let kept = 0;
  for (const key of keys) if (obj[key] !== undefined) keys[kept++] = key;
  keys.length = kept;
  sortKeys(keys);
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const member = encodeMember(key, obj[key], formatNumber);
    out += i > 0 ? `,${member}` : member;
  }
  return out + '}';
}

function encode(value: unknown, formatNumber: NumberFormat): string {
  switch (typeof value) {
    case 'string':
      return encodeString(value);
    case 'number':
      return formatNumber(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? encodeArray(value, formatNumber) : encodeObject(value, formatNumber);
    default:
      throw new EncodeFailure(`unsupported ${typeof value}`);
  }
}

function run(value: unknown, formatNumber: NumberFormat): string {
  return reporting(() => encode(value, formatNumber));
}

/** Runs an encoding, turning its failure into a CanonicalJsonError that names the path. */
function reporting(encodeIt: () => string): string {
  try {
    return encodeIt();
  } catch (error) {
    if (error instanceof EncodeFailure) {
      const path = `$${error.segments.reverse().join('')}`;
      throw new CanonicalJsonError(`${error.reason} at ${error.atKey ? `${path} key` : path}`);
    }
    // Pathologically deep nesting from the network exhausts the stack; report it like any
    // other value canonical JSON cannot carry.
    if (error instanceof RangeError) throw new CanonicalJsonError('value nested too deeply');
    throw error;
  }
}

/** One member (`"key":value`) of an object in canonical JSON, for objects assembled from
 * members encoded once and reused (canonicalJsonOfMembers): signing an event encodes its
 * top-level members once for the content hash, the signed bytes and the stored JSON.
 * Throws as canonicalJson does, with the path below the object (`$.key…`). */
export function canonicalMember(key: string, value: unknown): string {
  return reporting(() => encodeMember(key, value, strictNumber));
}

/** The canonical JSON of an object from its members (key → canonicalMember(key, value)):
 * equal to canonicalJson of the object. */
export function canonicalJsonOfMembers(members: ReadonlyMap<string, string>): string {
  const keys = sortKeys([...members.keys()]);
  let out = '{';
  for (let i = 0; i < keys.length; i++) out += i > 0 ? `,${members.get(keys[i] as string) as string}` : (members.get(keys[i] as string) as string);
  return out + '}';
}

/** Encodes a value as canonical JSON. Throws CanonicalJsonError for values canonical JSON
 * cannot represent (floats, out-of-range integers, lone surrogates, undefined in arrays, bigint,
 * functions, class instances). Object properties whose value is undefined are omitted, as
 * JSON.stringify does. */
export function canonicalJson(value: unknown): string {
  return run(value, strictNumber);
}

/** Canonical JSON as room versions 1–5 tolerate it ("Servers MUST NOT strictly enforce the
 * JSON format" there): identical to `canonicalJson` on every value that accepts, and in
 * addition encodes floats the way their (Python) senders did and integers beyond ±(2^53 − 1)
 * as their exact parsed value. A float written with an integral value ("50.0") has already
 * become an integer in JSON.parse, so its original spelling, and any hash over it, is lost:
 * the lenient form is best effort, as the spec's "where possible" allows. Still throws for
 * lone surrogates, non-finite numbers and non-JSON values. */
export function canonicalJsonLenient(value: unknown): string {
  return run(value, lenientNumber);
}
