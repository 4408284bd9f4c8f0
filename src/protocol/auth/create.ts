// Rule 1: m.room.create. The first event of a room is authorised on its own content alone.
import { KNOWN_ROOM_VERSIONS } from '../room-versions.ts';
import { hasOwnKey, own } from './json.ts';
import { contentOf, referencedIds } from './event-fields.ts';
import { isValidUserId, sigilIdDomain, userIdDomain } from './user-id.ts';
import { ALLOW, deny, type CheckResult } from './result.ts';
import type { AuthRules } from './rules.ts';

export function checkCreate(event: Record<string, unknown>, rules: AuthRules): CheckResult {
  // 1.1 "If it has any prev_events, reject." An absent list has none; a malformed one
  // cannot be shown to be empty.
  if (hasOwnKey(event, 'prev_events')) {
    const prev = referencedIds(own(event, 'prev_events'));
    if (prev === undefined) return deny('create: prev_events is malformed');
    if (prev.length > 0) return deny('create: has prev_events');
  }

  const content = contentOf(event) ?? {};
  if (rules.createIsAuthEvent) {
    // 1.2 (v1–v11) the room ID's domain must be the sender's.
    const roomDomain = sigilIdDomain(own(event, 'room_id'), '!');
    if (roomDomain === undefined) return deny('create: room_id has no domain');
    if (roomDomain !== userIdDomain(own(event, 'sender'))) {
      return deny("create: room_id domain does not match the sender's domain");
    }
  } else if (hasOwnKey(event, 'room_id')) {
    // 1.2 (v12) the room ID is derived from this event's ID, so the event carries none.
    return deny('create: has a room_id');
  }

  // 1.3 an explicit room_version must be one this server recognises.
  if (hasOwnKey(content, 'room_version')) {
    const version = own(content, 'room_version');
    if (typeof version !== 'string' || !KNOWN_ROOM_VERSIONS.includes(version)) {
      return deny('create: content.room_version is not a recognised room version');
    }
  }

  // 1.4 (v1–v10) content.creator is required; v11 dropped it for the sender.
  if (rules.creatorInContent && !hasOwnKey(content, 'creator')) return deny('create: content has no creator');

  // 1.4 (v12) additional_creators, if present, is an array of valid user IDs.
  if (rules.version.privilegedCreators && hasOwnKey(content, 'additional_creators')) {
    const additional = own(content, 'additional_creators');
    if (!Array.isArray(additional) || !additional.every((user) => isValidUserId(user))) {
      return deny('create: additional_creators is not an array of valid user IDs');
    }
  }
  return ALLOW;
}
