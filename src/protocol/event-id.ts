// Event IDs (rooms/fragments/v1-event-ids.md, rooms/v3.md, v4-event-ids.md) and v12 room IDs
// (appendices, "Room IDs": the create event's ID with sigil "!").
import { encodeBase64, encodeBase64Url } from './base64.ts';
import { referenceHashWithVersion } from './event-hashes.ts';
import { roomVersion as lookupRoomVersion, type RoomVersion } from './room-versions.ts';

export type IdResult = { ok: true; id: string } | { ok: false; reason: string };

function hashId(pdu: object, version: RoomVersion, sigil: string): IdResult {
  let hash: Uint8Array;
  try {
    hash = referenceHashWithVersion(pdu, version);
  } catch (error) {
    return { ok: false, reason: `event has no canonical JSON form: ${(error as Error).message}` };
  }
  return { ok: true, id: sigil + encodeReferenceHash(hash, version) };
}

function encodeReferenceHash(hash: Uint8Array, version: RoomVersion): string {
  return version.eventIdFormat === 'v3' ? encodeBase64(hash) : encodeBase64Url(hash);
}

/** The event ID of room versions 3+ from an event's reference hash (see hashAndSignNewEvent). */
export function eventIdFromReferenceHash(hash: Uint8Array, version: RoomVersion): string {
  if (version.eventIdFormat === 'v1') throw new RangeError(`room version ${version.id} does not derive event IDs from hashes`);
  return '$' + encodeReferenceHash(hash, version);
}

/** The event ID, or why there is none. v1/v2: the event's own `event_id`; v3: "$" + unpadded
 * standard base64 of the reference hash; v4+: "$" + URL-safe. Never throws. */
export function tryEventId(pdu: unknown, roomVersion: string): IdResult {
  const version = lookupRoomVersion(roomVersion);
  if (!version) return { ok: false, reason: `unknown room version ${JSON.stringify(roomVersion)}` };
  if (typeof pdu !== 'object' || pdu === null || Array.isArray(pdu)) return { ok: false, reason: 'event is not an object' };
  if (version.eventIdFormat === 'v1') {
    const id = (pdu as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? { ok: true, id } : { ok: false, reason: 'event_id missing or not a string' };
  }
  return hashId(pdu, version, '$');
}

/** Like tryEventId, but throws an Error carrying the reason (unknown room version, missing
 * v1/v2 `event_id`, or an event without a canonical JSON form). For events already accepted
 * by validatePdu in a known room version it does not throw. */
export function eventId(pdu: object, roomVersion: string): string {
  const result = tryEventId(pdu, roomVersion);
  if (!result.ok) throw new Error(`cannot compute event ID: ${result.reason}`);
  return result.id;
}

/** The room ID a v12-style create event defines: "!" + URL-safe reference hash. Fails for a
 * room version whose room IDs are not derived from the create event, and for events that are
 * not m.room.create. Never throws. */
export function tryRoomIdFromCreateEvent(createPdu: unknown, roomVersion = '12'): IdResult {
  const version = lookupRoomVersion(roomVersion);
  if (!version) return { ok: false, reason: `unknown room version ${JSON.stringify(roomVersion)}` };
  if (!version.roomIdFromCreateEvent) {
    return { ok: false, reason: `room version ${roomVersion} does not derive room IDs from the create event` };
  }
  if (typeof createPdu !== 'object' || createPdu === null || Array.isArray(createPdu)) {
    return { ok: false, reason: 'event is not an object' };
  }
  if ((createPdu as { type?: unknown }).type !== 'm.room.create') return { ok: false, reason: 'not an m.room.create event' };
  return hashId(createPdu, version, '!');
}

/** Like tryRoomIdFromCreateEvent (room version 12 unless given), throwing an Error with the reason. */
export function roomIdFromCreateEvent(createPdu: object, roomVersion = '12'): string {
  const result = tryRoomIdFromCreateEvent(createPdu, roomVersion);
  if (!result.ok) throw new Error(`cannot compute room ID: ${result.reason}`);
  return result.id;
}
