// Shape checks of uploaded key objects (device keys, one-time and fallback keys), turning
// malformed input into the spec's 400/413 errors. Signatures are checked by the callers.
import { MatrixError } from '../../errors/matrix-error.ts';
import { CanonicalJsonError, canonicalJson } from '../../protocol/canonical-json.ts';
import { isJsonObject, type JsonRecord } from '../../protocol/json-object.ts';
import { requireStorableJson, requireStorableString } from '../validation/storable-json.ts';
import { MAX_DEVICE_KEY_ENTRIES, MAX_KEY_NAME_PART_BYTES, MAX_KEY_OBJECT_BYTES, MAX_ONE_TIME_KEY_BYTES } from './key-limits.ts';
import type { DeviceKey } from '../../storage/e2ee/one-time-keys.ts';

function badJson(message: string): MatrixError {
  return new MatrixError('M_BAD_JSON', message);
}

/** Canonical JSON of a key object; 400 when it has none (floats, lone surrogates), 413 when too big. */
export function canonicalKeyJson(value: unknown, name: string, maxBytes = MAX_KEY_OBJECT_BYTES): string {
  requireStorableJson(value, name);
  let text: string;
  try {
    text = canonicalJson(value);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw badJson(`${name} is not valid canonical JSON: ${error.message}`);
    throw error;
  }
  if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new MatrixError('M_TOO_LARGE', `${name} is larger than ${maxBytes} bytes`);
  return text;
}

/** An optional body field that must be a JSON object. */
export function optionalObject(body: JsonRecord, name: string): JsonRecord | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) throw badJson(`${name} must be an object`);
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isStringMap(value: unknown): value is Record<string, string> {
  return isJsonObject(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Checks the fields of a DeviceKeys object (device_keys.yaml); returns it without `unsigned`. */
export function deviceKeysShape(value: JsonRecord): JsonRecord {
  if (typeof value.user_id !== 'string') throw new MatrixError('M_MISSING_PARAM', 'device_keys.user_id is required');
  if (typeof value.device_id !== 'string') throw new MatrixError('M_MISSING_PARAM', 'device_keys.device_id is required');
  if (!isStringArray(value.algorithms)) throw badJson('device_keys.algorithms must be an array of strings');
  if (!isStringMap(value.keys)) throw badJson('device_keys.keys must be an object of strings');
  if (!isJsonObject(value.signatures) || !Object.values(value.signatures).every(isStringMap)) {
    throw badJson('device_keys.signatures must map user IDs to objects of signatures');
  }
  if (value.algorithms.length > MAX_DEVICE_KEY_ENTRIES || Object.keys(value.keys).length > MAX_DEVICE_KEY_ENTRIES) {
    throw new MatrixError('M_TOO_LARGE', `device_keys may list at most ${MAX_DEVICE_KEY_ENTRIES} algorithms and keys`);
  }
  const { unsigned: _unsigned, ...stored } = value;
  canonicalKeyJson(stored, 'device_keys');
  return stored;
}

/** Splits "<algorithm>:<key_id>"; 400 when either part is missing, too long or unstorable. */
function splitKeyName(name: string, field: string): { algorithm: string; keyId: string } {
  const colon = name.indexOf(':');
  if (colon <= 0 || colon === name.length - 1) throw new MatrixError('M_INVALID_PARAM', `${field} key names must be <algorithm>:<key_id>, not ${JSON.stringify(name.slice(0, 100))}`);
  const algorithm = name.slice(0, colon);
  const keyId = name.slice(colon + 1);
  if (Buffer.byteLength(algorithm) > MAX_KEY_NAME_PART_BYTES || Buffer.byteLength(keyId) > MAX_KEY_NAME_PART_BYTES) {
    throw new MatrixError('M_INVALID_PARAM', `${field} key names may have at most ${MAX_KEY_NAME_PART_BYTES} bytes of algorithm and of key ID`);
  }
  requireStorableString(name, `${field} key name`);
  return { algorithm, keyId };
}

/** The keys of a one_time_keys / fallback_keys map (one_time_keys.yaml): each a string or a
 * KeyObject with `key` and `signatures`. */
export function keyMap(value: JsonRecord, field: string, maxKeys: number): DeviceKey[] {
  const entries = Object.entries(value);
  if (entries.length > maxKeys) throw new MatrixError('M_TOO_LARGE', `${field} may hold at most ${maxKeys} keys`);
  return entries.map(([name, key]) => {
    const { algorithm, keyId } = splitKeyName(name, field);
    if (typeof key === 'string') {
      if (key.length === 0) throw new MatrixError('M_INVALID_PARAM', `${field}.${name} must not be empty`);
    } else if (isJsonObject(key)) {
      if (typeof key.key !== 'string') throw new MatrixError('M_MISSING_PARAM', `${field}.${name}.key is required`);
      if (!isJsonObject(key.signatures)) throw new MatrixError('M_MISSING_PARAM', `${field}.${name}.signatures is required`);
    } else {
      throw badJson(`${field}.${name} must be a string or a key object`);
    }
    canonicalKeyJson(key, `${field}.${name}`, MAX_ONE_TIME_KEY_BYTES);
    return { algorithm, keyId, key };
  });
}
