// Auth events selection (server-server API, "Auth events selection"): which state an event
// must cite as its auth_events.
import { own, ownRecord, ownString } from './json.ts';
import { contentOf } from './event-fields.ts';
import { requireAuthRules } from './rules.ts';

export interface SelectableEvent {
  type: string;
  state_key?: string;
  sender: string;
  content: unknown;
}

export type StateKeyPair = [type: string, stateKey: string];

/**
 * The (type, state_key) pairs an event's auth_events must be drawn from, in a fixed order:
 * the create event (v1–v11; never in v12), power levels, the sender's membership, and for
 * m.room.member the target's membership, the join rules (join, invite, knock), the
 * m.room.third_party_invite named by signed.token (invites), and the authorising user's
 * membership (restricted joins, v8+). Empty for m.room.create. Duplicates are removed.
 * Throws RangeError for an unknown room version; malformed fields just select nothing.
 */
export function authEventTypes(event: SelectableEvent, roomVersion: string): StateKeyPair[] {
  const rules = requireAuthRules(roomVersion);
  const type = own(event, 'type');
  if (type === 'm.room.create') return [];
  const pairs: StateKeyPair[] = [];
  const add = (t: string, k: unknown) => {
    if (typeof k === 'string' && !pairs.some(([pt, pk]) => pt === t && pk === k)) pairs.push([t, k]);
  };
  if (rules.createIsAuthEvent) add('m.room.create', '');
  add('m.room.power_levels', '');
  add('m.room.member', own(event, 'sender'));
  if (type === 'm.room.member') {
    const content = contentOf(event);
    const membership = own(content, 'membership');
    add('m.room.member', own(event, 'state_key'));
    if (membership === 'join' || membership === 'invite' || membership === 'knock') add('m.room.join_rules', '');
    if (membership === 'invite' && content && Object.hasOwn(content, 'third_party_invite')) {
      add('m.room.third_party_invite', ownString(ownRecord(own(content, 'third_party_invite'), 'signed'), 'token'));
    }
    if (membership === 'join' && rules.version.restrictedJoins) {
      add('m.room.member', own(content, 'join_authorised_via_users_server'));
    }
  }
  return pairs;
}

/**
 * The auth_events for a new event: the IDs that stateLookup gives for authEventTypes,
 * skipping state the room does not have. stateLookup answers from the state the event is
 * built on (normally the current state).
 */
export function selectAuthEventIds(
  event: SelectableEvent,
  stateLookup: (type: string, stateKey: string) => string | undefined,
  roomVersion: string,
): string[] {
  const ids: string[] = [];
  for (const [type, stateKey] of authEventTypes(event, roomVersion)) {
    const id = stateLookup(type, stateKey);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  return ids;
}
