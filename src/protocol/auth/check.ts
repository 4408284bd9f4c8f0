// The authorisation rules in order (rooms/v1.md … v12.md, "Authorisation rules"). Rule
// numbers in comments follow v3–v11; v1/v2 have the aliases rule and v12 the room ID rule
// as extra steps, and v1/v2 end with the redaction rule.
import { hasOwnKey, own, ownString, type JsonRecord } from './json.ts';
import { contentOf } from './event-fields.ts';
import { sigilIdDomain, userIdDomain } from './user-id.ts';
import { requiredPowerLevel } from './power-levels.ts';
import { checkCreate } from './create.ts';
import { checkMember } from './member.ts';
import { checkPowerLevelsChange } from './power-levels-change.ts';
import { ALLOW, deny, type CheckResult } from './result.ts';
import type { AuthRules } from './rules.ts';
import type { AuthStateView } from './state.ts';

/** Shape checks every rule relies on; failing them means the event is not authorisable. */
export function checkEventShape(event: unknown): CheckResult {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return deny('event is not an object');
  if (typeof own(event, 'type') !== 'string') return deny('event type is not a string');
  if (userIdDomain(own(event, 'sender')) === undefined) return deny('sender is not a valid user ID');
  if (!contentOf(event)) return deny('content is not an object');
  if (hasOwnKey(event, 'state_key') && typeof own(event, 'state_key') !== 'string') {
    return deny('state_key is not a string');
  }
  return ALLOW;
}

/** Runs the rules for an event that passed checkEventShape. */
export function runAuthRules(event: JsonRecord, state: AuthStateView, rules: AuthRules): CheckResult {
  const type = own(event, 'type') as string;
  const sender = own(event, 'sender') as string;
  const content = contentOf(event) as JsonRecord;

  // 1. m.room.create stands alone.
  if (type === 'm.room.create') return checkCreate(event, rules);

  // Every other event is authorised against a room's create event.
  const create = state.create;
  if (!create) return deny('no m.room.create event in the auth state');
  if (!rules.createIsAuthEvent) {
    // v12 rule 2: the room ID is the create event's ID with "!" for "$". The caller passes
    // only accepted events, so finding it here means it was accepted.
    const createId = ownString(create, 'event_id');
    if (createId === undefined || !createId.startsWith('$') || own(event, 'room_id') !== `!${createId.slice(1)}`) {
      return deny("room_id is not the ID of the room's create event");
    }
  } else if (own(create, 'room_id') !== own(event, 'room_id')) {
    return deny('the create event belongs to another room');
  }

  // 3. m.federate: false keeps the room to the creating server.
  if (own(contentOf(create), 'm.federate') === false && userIdDomain(sender) !== userIdDomain(own(create, 'sender'))) {
    return deny('room is not federated and the sender is on another server');
  }

  // v1–v5 rule 4: m.room.aliases is the state of the server named by its state_key.
  if (type === 'm.room.aliases' && rules.version.specialCaseAliasesAuth) {
    const stateKey = own(event, 'state_key');
    if (typeof stateKey !== 'string') return deny('aliases: no state_key');
    if (stateKey !== userIdDomain(sender)) return deny("aliases: state_key is not the sender's domain");
    return ALLOW;
  }

  // 4. Membership has its own rules.
  if (type === 'm.room.member') return checkMember(event, sender, state);

  // 5. Everything else needs a joined sender.
  if (state.membership(sender) !== 'join') return deny('sender is not joined to the room');

  // 6. Third-party invites need the invite level (not the event's required level).
  const senderLevel = state.userPower(sender);
  const levels = state.powerLevels();
  if (type === 'm.room.third_party_invite') {
    return senderLevel >= levels.invite ? ALLOW : deny("third_party_invite: sender's power level is below the invite level");
  }

  // 7. The event type's required power level.
  const isState = hasOwnKey(event, 'state_key');
  const required = requiredPowerLevel(levels, type, isState);
  if (required > senderLevel) return deny(`sender's power level is below the ${required} required for ${type}`);

  // 8. State keyed by a user ID belongs to that user.
  const stateKey = own(event, 'state_key');
  if (typeof stateKey === 'string' && stateKey.startsWith('@') && stateKey !== sender) {
    return deny('state_key starts with @ and is not the sender');
  }

  // 9. Power level changes.
  if (type === 'm.room.power_levels') return checkPowerLevelsChange(content, sender, state);

  // v1/v2 rule 11: redacting needs the redact level or the redacted event's domain.
  if (type === 'm.room.redaction' && rules.version.redactionDomainAuthRule) {
    if (senderLevel >= levels.redact) return ALLOW;
    const redactedDomain = sigilIdDomain(own(event, 'redacts'), '$');
    if (redactedDomain !== undefined && redactedDomain === sigilIdDomain(own(event, 'event_id'), '$')) return ALLOW;
    return deny("redaction: sender is below the redact level and the redacted event is from another domain");
  }

  // 10. Otherwise, allow.
  return ALLOW;
}
