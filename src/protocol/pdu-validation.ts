// Format checks on a received PDU (server-server API, "Checks performed on receipt of a PDU",
// step 1: "Is a valid event, otherwise it is dropped"). Shapes come from the PDU schemas of
// each room version (pdu_v1/v3/v4/v6/v11/v12), sizes from the client-server API "Size limits".
// Signatures, hashes and authorisation are later steps and are not checked here.
import { encodeEventJson } from './event-json.ts';
import { isValidRoomId, MAX_ID_BYTES, parseEventId, parseUserId } from './ids.ts';
import { roomVersion as lookupRoomVersion, type RoomVersion } from './room-versions.ts';
import type { Pdu } from './types.ts';

export type PduValidation = { ok: true; pdu: Pdu } | { ok: false; reason: string };

/** The whole event as canonical JSON, signatures (and anything else it carries) included. */
export const MAX_PDU_BYTES = 65_536;
/** `type` and `state_key`; IDs use MAX_ID_BYTES (also 255). */
export const MAX_KEY_BYTES = 255;
export const MAX_PREV_EVENTS = 20;
export const MAX_AUTH_EVENTS = 10;
/** Room versions 1–5 allow depth up to 2^63 − 1 (pdu_v1/v3/v4); 6+ up to 2^53 − 1 (depth_v6),
 * which strict canonical JSON already enforces. As a double, 2^63 − 1 rounds to 2^63. */
const MAX_DEPTH_BEFORE_V6 = 2 ** 63;

type Check = string | undefined;
type Json = Record<string, unknown>;

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function checkEncoding(pdu: Json, version: RoomVersion): Check {
  let json: string;
  try {
    json = encodeEventJson(pdu, version);
  } catch (error) {
    const what = version.strictCanonicalJson ? 'not canonical JSON' : 'not representable as JSON';
    return `PDU is ${what}: ${describe(error)}`;
  }
  const size = byteLength(json);
  return size > MAX_PDU_BYTES ? `PDU is ${size} bytes of canonical JSON; the limit is ${MAX_PDU_BYTES}` : undefined;
}

function checkBoundedString(pdu: Json, key: string, limit: number, required: boolean): Check {
  const value = pdu[key];
  if (value === undefined) return required ? `${key} is missing` : undefined;
  if (typeof value !== 'string') return `${key} is not a string`;
  return byteLength(value) > limit ? `${key} exceeds ${limit} bytes` : undefined;
}

function checkInteger(pdu: Json, key: string): Check {
  const value = pdu[key];
  if (value === undefined) return `${key} is missing`;
  return Number.isInteger(value) ? undefined : `${key} is not an integer`;
}

function checkEventReference(value: unknown, where: string): Check {
  // Referenced IDs name events to look up; a well-formed-looking ID that names no event is a
  // missing event, not a malformed PDU, so only the generic event ID limits apply here.
  if (typeof value !== 'string') return `${where} is not an event ID string`;
  if (!value.startsWith('$') || byteLength(value) > MAX_ID_BYTES) return `${where} is not a valid event ID`;
  return undefined;
}

function checkReferenceList(pdu: Json, key: string, limit: number, version: RoomVersion): Check {
  const list = pdu[key];
  if (list === undefined) return `${key} is missing`;
  if (!Array.isArray(list)) return `${key} is not an array`;
  if (list.length > limit) return `${key} has ${list.length} entries; the limit is ${limit}`;
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    const where = `${key}[${i}]`;
    if (version.eventIdFormat !== 'v1') {
      const problem = checkEventReference(entry, where);
      if (problem) return problem;
      continue;
    }
    // Room versions 1 and 2: [event_id, { sha256: reference hash }] pairs.
    if (!Array.isArray(entry) || entry.length !== 2) return `${where} is not an [event_id, hashes] pair`;
    const problem = checkEventReference(entry[0], `${where}[0]`);
    if (problem) return problem;
    const hashes: unknown = entry[1];
    if (!isPlainObject(hashes) || typeof hashes.sha256 !== 'string') return `${where}[1] is not an object with a sha256 string`;
  }
  return undefined;
}

function checkHashes(pdu: Json): Check {
  const hashes = pdu.hashes;
  if (hashes === undefined) return 'hashes is missing';
  if (!isPlainObject(hashes)) return 'hashes is not an object';
  return typeof hashes.sha256 === 'string' ? undefined : 'hashes.sha256 is missing or not a string';
}

function checkSignatures(pdu: Json): Check {
  const signatures = pdu.signatures;
  if (signatures === undefined) return 'signatures is missing';
  if (!isPlainObject(signatures)) return 'signatures is not an object';
  for (const [server, byKey] of Object.entries(signatures)) {
    if (!isPlainObject(byKey)) return `signatures[${JSON.stringify(server)}] is not an object`;
    for (const [keyId, signature] of Object.entries(byKey)) {
      if (typeof signature !== 'string') return `signatures[${JSON.stringify(server)}][${JSON.stringify(keyId)}] is not a string`;
    }
  }
  return undefined;
}

function checkSender(pdu: Json): Check {
  const problem = checkBoundedString(pdu, 'sender', MAX_ID_BYTES, true);
  if (problem) return problem;
  // Historical grammar: servers must accept old user IDs in events.
  return parseUserId(pdu.sender) ? undefined : 'sender is not a valid user ID';
}

function checkRoomId(pdu: Json, version: RoomVersion): Check {
  const roomId = pdu.room_id;
  if (version.roomIdFromCreateEvent && pdu.type === 'm.room.create') {
    // The create event defines the room ID and carries none. One that does is rejected by
    // authorisation rule 1.2, not dropped here: rejection is that rule's job.
    return roomId === undefined || typeof roomId === 'string' ? undefined : 'room_id is not a string';
  }
  if (roomId === undefined) return 'room_id is missing';
  if (typeof roomId !== 'string') return 'room_id is not a string';
  return isValidRoomId(roomId, version.id) ? undefined : `room_id is not a valid room ID for room version ${version.id}`;
}

function checkOwnEventId(pdu: Json, version: RoomVersion): Check {
  if (version.eventIdFormat === 'v1') {
    const id = pdu.event_id;
    if (id === undefined) return 'event_id is missing';
    if (typeof id !== 'string') return 'event_id is not a string';
    return parseEventId(id)?.kind === 'domain' ? undefined : 'event_id is not a valid $opaque:domain event ID';
  }
  // From v3 the ID is computed, never trusted; a stray event_id only has to respect the limit.
  return checkBoundedString(pdu, 'event_id', MAX_ID_BYTES, false);
}

function checkContent(pdu: Json): Check {
  if (pdu.content === undefined) return 'content is missing';
  return isPlainObject(pdu.content) ? undefined : 'content is not an object';
}

function checkDepth(pdu: Json, version: RoomVersion): Check {
  const problem = checkInteger(pdu, 'depth');
  if (problem) return problem;
  if (!version.strictCanonicalJson && Math.abs(pdu.depth as number) >= MAX_DEPTH_BEFORE_V6) return 'depth exceeds 2^63 - 1';
  return undefined;
}

function checkFields(pdu: Json, version: RoomVersion): Check {
  const checks: Array<() => Check> = [
    () => checkBoundedString(pdu, 'type', MAX_KEY_BYTES, true),
    () => checkSender(pdu),
    () => checkRoomId(pdu, version),
    () => checkOwnEventId(pdu, version),
    () => checkBoundedString(pdu, 'state_key', MAX_KEY_BYTES, false),
    () => checkContent(pdu),
    () => checkInteger(pdu, 'origin_server_ts'),
    () => checkDepth(pdu, version),
    () => checkReferenceList(pdu, 'prev_events', MAX_PREV_EVENTS, version),
    () => checkReferenceList(pdu, 'auth_events', MAX_AUTH_EVENTS, version),
    () => checkHashes(pdu),
    () => checkSignatures(pdu),
    () => (pdu.unsigned === undefined || isPlainObject(pdu.unsigned) ? undefined : 'unsigned is not an object'),
    // Until v11 a redaction names its target in a top-level `redacts` (pdu_v1/v3/v4/v6).
    () => (version.redactsInContent ? undefined : checkBoundedString(pdu, 'redacts', MAX_ID_BYTES, false)),
  ];
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return undefined;
}

/** Checks that untrusted input is a well-formed PDU of the room version. Never throws; an
 * unknown room version fails with a reason. On success returns the same object, typed.
 * `encodingChecked`: the caller has encoded the PDU in the version's canonical JSON and
 * checked its size already (a locally built event), so only its fields are checked. */
export function validatePdu(pdu: unknown, roomVersion: string, options: { encodingChecked?: boolean } = {}): PduValidation {
  const version = lookupRoomVersion(roomVersion);
  if (!version) return { ok: false, reason: `unknown room version ${JSON.stringify(roomVersion)}` };
  if (!isPlainObject(pdu)) return { ok: false, reason: 'PDU is not a JSON object' };
  try {
    const problem = (options.encodingChecked ? undefined : checkEncoding(pdu, version)) ?? checkFields(pdu, version);
    return problem ? { ok: false, reason: problem } : { ok: true, pdu: pdu as Pdu };
  } catch (error) {
    // Defensive: getters or proxies in non-JSON input must not escape as exceptions.
    return { ok: false, reason: `PDU could not be checked: ${describe(error)}` };
  }
}
