// The rule for m.room.power_levels events (v1 rule 10, v3–v11 rule 9, v12 rule 10): the new
// content must be well formed for the room version, and a sender may only alter levels that
// are, before and after, within their own power.
import { isRecord, own, ownRecord, type JsonRecord } from './json.ts';
import { parsePowerLevelMap, parsePowerLevelValue, POWER_LEVEL_MAPS, TOP_LEVEL_POWER_KEYS } from './power-levels.ts';
import { isValidUserId } from './user-id.ts';
import { ALLOW, deny, type CheckResult } from './result.ts';
import type { AuthStateView } from './state.ts';

/** v1–v5 "floaty" power levels: a number outside binary64 (or ±Infinity, NaN) anywhere in
 * the levels rejects the event. JSON.parse turns 1e400 into Infinity. */
function hasNonFiniteLevel(content: JsonRecord): boolean {
  const nonFinite = (v: unknown) => typeof v === 'number' && !Number.isFinite(v);
  if (TOP_LEVEL_POWER_KEYS.some((key) => nonFinite(own(content, key)))) return true;
  return POWER_LEVEL_MAPS.some((name) => {
    const map = own(content, name);
    return isRecord(map) && Object.values(map).some(nonFinite);
  });
}

function validateContent(content: JsonRecord, state: AuthStateView): CheckResult {
  const rules = state.rules;
  if (rules.floatPowerLevels && hasNonFiniteLevel(content)) {
    return deny('power_levels: a level is outside the range of a double');
  }
  if (!rules.stringPowerLevels) {
    // v10+: every top-level level present must be an integer …
    for (const key of TOP_LEVEL_POWER_KEYS) {
      if (Object.hasOwn(content, key) && parsePowerLevelValue(content[key], rules) === undefined) {
        return deny(`power_levels: ${key} is not an integer`);
      }
    }
    // … and events/notifications, if present, objects of integers.
    for (const name of ['events', 'notifications'] as const) {
      if (!Object.hasOwn(content, name)) continue;
      const map = content[name];
      if (!isRecord(map) || Object.values(map).some((v) => parsePowerLevelValue(v, rules) === undefined)) {
        return deny(`power_levels: ${name} is not an object of integers`);
      }
    }
  }
  // Every version: users, if present, maps valid user IDs to levels of this version
  // (integers; integer strings before v10; finite floats before v6).
  if (Object.hasOwn(content, 'users')) {
    const users = content.users;
    if (!isRecord(users)) return deny('power_levels: users is not an object');
    for (const [userId, level] of Object.entries(users)) {
      if (!isValidUserId(userId)) return deny('power_levels: users has a key that is not a valid user ID');
      if (parsePowerLevelValue(level, rules) === undefined) {
        return deny(`power_levels: users has a level that is not an integer`);
      }
    }
    // v12: creators are not listed; their power is implied and immutable.
    if (rules.version.privilegedCreators) {
      for (const creator of state.creators()) {
        if (Object.hasOwn(users, creator)) return deny('power_levels: users names a room creator');
      }
    }
  }
  return ALLOW;
}

interface Alteration {
  key: string;
  before: number | undefined;
  after: number | undefined;
}

function alterations(before: Map<string, number>, after: Map<string, number>): Alteration[] {
  const out: Alteration[] = [];
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key);
    const a = after.get(key);
    if (b !== a) out.push({ key, before: b, after: a });
  }
  return out;
}

export function checkPowerLevelsChange(content: JsonRecord, sender: string, state: AuthStateView): CheckResult {
  const valid = validateContent(content, state);
  if (!valid.allowed) return valid;

  // "If there is no previous m.room.power_levels event in the room, allow."
  const previous = state.powerLevelsEvent;
  if (!previous) return ALLOW;
  const rules = state.rules;
  const oldContent = ownRecord(previous, 'content') ?? {};
  const senderLevel = state.userPower(sender);

  // Top-level levels: an added, changed or removed value may not exceed the sender's level,
  // neither the old value nor the new one. Values compare as the version reads them, so
  // "50" → 50 is not a change. An absent value has no "current value" to compare.
  for (const key of TOP_LEVEL_POWER_KEYS) {
    const before = parsePowerLevelValue(own(oldContent, key), rules);
    const after = parsePowerLevelValue(own(content, key), rules);
    if (before === after) continue;
    if (before !== undefined && before > senderLevel) return deny(`power_levels: current ${key} exceeds the sender's level`);
    if (after !== undefined && after > senderLevel) return deny(`power_levels: new ${key} exceeds the sender's level`);
  }

  // events (and from v6 notifications): same, entry by entry.
  const maps = rules.version.limitNotificationsPowerLevels ? ['events', 'notifications'] : ['events'];
  for (const name of maps) {
    for (const { key, before, after } of alterations(parsePowerLevelMap(own(oldContent, name), rules), parsePowerLevelMap(own(content, name), rules))) {
      if (before !== undefined && before > senderLevel) {
        return deny(`power_levels: current ${name}[${JSON.stringify(key)}] exceeds the sender's level`);
      }
      if (after !== undefined && after > senderLevel) {
        return deny(`power_levels: new ${name}[${JSON.stringify(key)}] exceeds the sender's level`);
      }
    }
  }

  // users: another user's entry may only be changed or removed if it is below the sender's
  // level; no entry (the sender's own included) may be set above it.
  for (const { key, before, after } of alterations(parsePowerLevelMap(own(oldContent, 'users'), rules), parsePowerLevelMap(own(content, 'users'), rules))) {
    if (key !== sender && before !== undefined && before >= senderLevel) {
      return deny(`power_levels: cannot change the level of ${key}, who is not below the sender`);
    }
    if (after !== undefined && after > senderLevel) {
      return deny(`power_levels: cannot raise ${key} above the sender's level`);
    }
  }
  return ALLOW;
}
