// The room-version behaviour the authorisation rules depend on. Most of it is a flag in
// ../room-versions.ts; the few auth-only distinctions that table lacks are derived here from
// existing flags, so the version table stays the single source of truth.
import { roomVersion, type RoomVersion } from '../room-versions.ts';

export interface AuthRules {
  readonly version: RoomVersion;
  /** v1–v9: power level values may be strings holding an integer ("stringy power levels"). */
  readonly stringPowerLevels: boolean;
  /** v1–v5: power level values may be floats, truncated toward zero ("floaty power levels");
   * from v6 canonical JSON forbids floats. Keyed on strictCanonicalJson. */
  readonly floatPowerLevels: boolean;
  /** v1–v10: the creator is content.creator of m.room.create; v11+: its sender. */
  readonly creatorInContent: boolean;
  /** v1–v11: m.room.create is an auth event of every other event and its room_id carries a
   * domain; v12: the room ID is derived from the create event, which is never cited. */
  readonly createIsAuthEvent: boolean;
  /** v1/v2: event IDs carry the origin's domain ("$opaque:domain"). */
  readonly eventIdHasDomain: boolean;
}

const cache = new Map<string, AuthRules>();

/** The auth rules of a room version, or undefined when the version is unknown. */
export function authRulesFor(roomVersionId: unknown): AuthRules | undefined {
  if (typeof roomVersionId !== 'string') return undefined;
  const cached = cache.get(roomVersionId);
  if (cached) return cached;
  const version = roomVersion(roomVersionId);
  if (!version) return undefined;
  const rules: AuthRules = Object.freeze({
    version,
    stringPowerLevels: !version.integerOnlyPowerLevels,
    floatPowerLevels: !version.strictCanonicalJson,
    creatorInContent: !version.implicitRoomCreator,
    createIsAuthEvent: !version.roomIdFromCreateEvent,
    eventIdHasDomain: version.eventIdFormat === 'v1',
  });
  cache.set(roomVersionId, rules);
  return rules;
}

/** For helpers whose callers must have validated the room version already. */
export function requireAuthRules(roomVersionId: string): AuthRules {
  const rules = authRulesFor(roomVersionId);
  if (!rules) throw new RangeError(`unknown room version ${JSON.stringify(roomVersionId)}`);
  return rules;
}
