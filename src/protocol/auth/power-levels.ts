// Reading m.room.power_levels content (client-server API, m.room.power_levels; room version
// fragments "stringy" and "floaty" power levels) and the defaults when values are absent.
import { isRecord, own, type JsonRecord } from './json.ts';
import type { AuthRules } from './rules.ts';

export interface PowerLevels {
  /** Whether an m.room.power_levels event exists (the defaults differ when it does not). */
  readonly present: boolean;
  readonly users: ReadonlyMap<string, number>;
  readonly usersDefault: number;
  readonly eventsDefault: number;
  readonly stateDefault: number;
  readonly ban: number;
  readonly kick: number;
  readonly invite: number;
  readonly redact: number;
  readonly events: ReadonlyMap<string, number>;
  readonly notifications: ReadonlyMap<string, number>;
}

/** The integer-valued top-level properties and their defaults (spec "Definitions"). */
export const POWER_LEVEL_DEFAULTS = Object.freeze({
  users_default: 0,
  events_default: 0,
  state_default: 50,
  ban: 50,
  kick: 50,
  invite: 0,
  redact: 50,
});

export type TopLevelPowerKey = keyof typeof POWER_LEVEL_DEFAULTS;
export const TOP_LEVEL_POWER_KEYS = Object.freeze(Object.keys(POWER_LEVEL_DEFAULTS) as TopLevelPowerKey[]);

/** The maps of the content whose values are power levels. */
export const POWER_LEVEL_MAPS = Object.freeze(['users', 'events', 'notifications'] as const);

// "a single base 10 integer … optionally with any number of leading zeroes … optionally
// prefixed with a single - or + … optionally with leading or trailing whitespace".
const INTEGER_STRING = /^\s*[+-]?\d+\s*$/;

/**
 * One power level value as the room version reads it, or undefined when the value is not
 * a power level in this version:
 * - integers in every version; from v6 (canonical JSON) only within ±(2^53−1);
 * - v1–v9: strings holding an integer;
 * - v1–v5: finite floats, truncated toward zero.
 * Non-finite numbers (1e400 parses to Infinity) are never power levels; -0 reads as 0.
 */
export function parsePowerLevelValue(value: unknown, rules: AuthRules): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    if (Number.isInteger(value)) {
      return rules.floatPowerLevels || Number.isSafeInteger(value) ? value + 0 : undefined;
    }
    return rules.floatPowerLevels ? Math.trunc(value) + 0 : undefined;
  }
  if (typeof value === 'string' && rules.stringPowerLevels && INTEGER_STRING.test(value)) {
    const parsed = Number.parseInt(value.trim(), 10);
    // A string of hundreds of digits is an integer in the spec's eyes but not a finite
    // double; treating it as invalid keeps comparisons meaningful.
    return Number.isFinite(parsed) ? parsed + 0 : undefined;
  }
  return undefined;
}

/** A map property (users/events/notifications) read leniently: entries whose value is not
 * a power level are skipped, so the default applies to them. */
export function parsePowerLevelMap(value: unknown, rules: AuthRules): Map<string, number> {
  const map = new Map<string, number>();
  if (!isRecord(value)) return map;
  for (const key of Object.keys(value)) {
    const level = parsePowerLevelValue(value[key], rules);
    if (level !== undefined) map.set(key, level);
  }
  return map;
}

function topLevel(content: JsonRecord, key: TopLevelPowerKey, rules: AuthRules): number {
  return parsePowerLevelValue(own(content, key), rules) ?? POWER_LEVEL_DEFAULTS[key];
}

/**
 * Parses the content of an accepted m.room.power_levels event. Values that are not power
 * levels in this room version count as absent (their default applies): v1–v9 accept such
 * events, since the rules there only validate `users`, and the spec does not say what,
 * say, `"ban": "abc"` means.
 */
export function parsePowerLevelsContent(content: unknown, rules: AuthRules): PowerLevels {
  const c = isRecord(content) ? content : {};
  return Object.freeze({
    present: true,
    users: parsePowerLevelMap(own(c, 'users'), rules),
    usersDefault: topLevel(c, 'users_default', rules),
    eventsDefault: topLevel(c, 'events_default', rules),
    stateDefault: topLevel(c, 'state_default', rules),
    ban: topLevel(c, 'ban', rules),
    kick: topLevel(c, 'kick', rules),
    invite: topLevel(c, 'invite', rules),
    redact: topLevel(c, 'redact', rules),
    events: parsePowerLevelMap(own(c, 'events'), rules),
    notifications: parsePowerLevelMap(own(c, 'notifications'), rules),
  });
}

/** The levels in force when the room has no m.room.power_levels event. */
export const NO_POWER_LEVELS: PowerLevels = Object.freeze({
  present: false,
  users: new Map<string, number>(),
  usersDefault: POWER_LEVEL_DEFAULTS.users_default,
  eventsDefault: POWER_LEVEL_DEFAULTS.events_default,
  stateDefault: POWER_LEVEL_DEFAULTS.state_default,
  ban: POWER_LEVEL_DEFAULTS.ban,
  kick: POWER_LEVEL_DEFAULTS.kick,
  invite: POWER_LEVEL_DEFAULTS.invite,
  redact: POWER_LEVEL_DEFAULTS.redact,
  events: new Map<string, number>(),
  notifications: new Map<string, number>(),
});

/** "Required power level": events[type], else state_default or events_default. */
export function requiredPowerLevel(levels: PowerLevels, eventType: string, isState: boolean): number {
  return levels.events.get(eventType) ?? (isState ? levels.stateDefault : levels.eventsDefault);
}
