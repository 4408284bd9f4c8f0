// The rules about an event's own auth_events list (v1–v11 rule 2, v12 rule 3): no two
// entries for one (type, state_key), only entries the selection algorithm allows, none
// rejected, the create event among them (not in v12), all from the same room.
import { isRecord, own, ownString, type JsonRecord } from './json.ts';
import { referencedIds, stateKeyOf } from './event-fields.ts';
import { authEventTypes } from './selection.ts';
import { checkEventShape } from './check.ts';
import { ALLOW, deny, type CheckResult } from './result.ts';
import type { AuthRules } from './rules.ts';

export interface AuthEventsListOptions {
  /** Whether an auth event was itself rejected (rule "entries which were themselves
   * rejected … reject"). Without it the caller vouches that none was. */
  isRejected?: (eventId: string) => boolean;
}

export function checkAuthEventsListWithRules(
  pdu: unknown,
  authEvents: readonly unknown[],
  rules: AuthRules,
  options: AuthEventsListOptions = {},
): CheckResult {
  const shape = checkEventShape(pdu);
  if (!shape.allowed) return shape;
  const event = pdu as JsonRecord;
  // The create event is decided by rule 1 before its auth_events are considered.
  if (own(event, 'type') === 'm.room.create') return ALLOW;

  const cited = referencedIds(own(event, 'auth_events'));
  if (!cited) return deny('auth_events is malformed');
  if (new Set(cited).size !== cited.length) return deny('auth_events cites an event twice');

  // The supplied events must be exactly the cited ones.
  if (!Array.isArray(authEvents)) return deny('auth events were not supplied as a list');
  const byId = new Map<string, JsonRecord>();
  for (const authEvent of authEvents) {
    const id = ownString(authEvent, 'event_id');
    if (!isRecord(authEvent) || id === undefined) return deny('a supplied auth event has no event_id');
    if (!cited.includes(id)) return deny(`supplied auth event ${id} is not cited in auth_events`);
    byId.set(id, authEvent);
  }

  const allowed = authEventTypes(
    { type: own(event, 'type') as string, state_key: ownString(event, 'state_key'), sender: own(event, 'sender') as string, content: own(event, 'content') },
    rules.version.id,
  );
  const seen = new Set<string>();
  let hasCreate = false;
  for (const id of cited) {
    const authEvent = byId.get(id);
    if (!authEvent) return deny(`auth event ${id} was not supplied`);
    const key = stateKeyOf(authEvent);
    if (!key) return deny(`auth event ${id} is not a state event`);
    const [type, stateKey] = key;
    const pairId = JSON.stringify(key);
    if (seen.has(pairId)) return deny(`auth_events has two entries for (${type}, ${JSON.stringify(stateKey)})`);
    seen.add(pairId);
    if (!allowed.some(([t, k]) => t === type && k === stateKey)) {
      return deny(`auth event (${type}, ${JSON.stringify(stateKey)}) is not one the selection algorithm allows`);
    }
    if (options.isRejected?.(id)) return deny(`auth event ${id} was rejected`);
    if (type === 'm.room.create') hasCreate = true;
    if (own(authEvent, 'room_id') !== own(event, 'room_id')) return deny(`auth event ${id} is from another room`);
  }
  if (rules.createIsAuthEvent && !hasCreate) return deny('auth_events has no m.room.create event');
  return ALLOW;
}
