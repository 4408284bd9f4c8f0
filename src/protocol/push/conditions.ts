// Reading push conditions ("Conditions"). One reader serves both validation of PUT bodies and
// compilation of stored rules, so the two can never disagree about what a condition means.
// Unrecognised kinds are valid to store but never match ("effectively making the push rule
// disabled"); a recognised kind with missing or mistyped parameters is invalid.
import { isJsonObject } from '../json-object.ts';
import { parseMemberCountComparison, type MemberCountComparison } from './member-count.ts';
import type { ConditionValue, PushCondition } from './types.ts';

export type ParsedCondition =
  | { readonly kind: 'event_match'; readonly key: string; readonly pattern: string }
  | { readonly kind: 'event_property_is' | 'event_property_contains'; readonly key: string; readonly value: ConditionValue }
  | { readonly kind: 'contains_display_name' }
  | { readonly kind: 'room_member_count'; readonly is: string; readonly comparison: MemberCountComparison }
  | { readonly kind: 'sender_notification_permission'; readonly key: string }
  | { readonly kind: 'unrecognised'; readonly original: PushCondition };

export type ConditionReading = { ok: true; condition: ParsedCondition } | { ok: false; error: string };

/** Strings, booleans, null and integers within ±(2^53 − 1): canonical JSON's primitives. */
export function isConditionValue(value: unknown): value is ConditionValue {
  return typeof value === 'string' || typeof value === 'boolean' || value === null || Number.isSafeInteger(value);
}

function fail(error: string): ConditionReading {
  return { ok: false, error };
}

function stringParameter(condition: Record<string, unknown>, name: string, where: string): string | ConditionReading {
  const value = condition[name];
  return typeof value === 'string' ? value : fail(`${where}.${name} must be a string`);
}

export function readCondition(value: unknown, where: string): ConditionReading {
  if (!isJsonObject(value)) return fail(`${where} must be an object`);
  const kind = value['kind'];
  if (typeof kind !== 'string') return fail(`${where}.kind must be a string`);
  switch (kind) {
    case 'event_match': {
      const key = stringParameter(value, 'key', where);
      if (typeof key !== 'string') return key;
      const pattern = stringParameter(value, 'pattern', where);
      if (typeof pattern !== 'string') return pattern;
      return { ok: true, condition: { kind, key, pattern } };
    }
    case 'event_property_is':
    case 'event_property_contains': {
      const key = stringParameter(value, 'key', where);
      if (typeof key !== 'string') return key;
      if (!Object.hasOwn(value, 'value')) return fail(`${where}.value is required`);
      const expected = value['value'];
      if (!isConditionValue(expected)) {
        return fail(`${where}.value must be a string, an integer within ±(2^53 − 1), a boolean or null`);
      }
      return { ok: true, condition: { kind, key, value: expected } };
    }
    case 'contains_display_name':
      return { ok: true, condition: { kind } };
    case 'room_member_count': {
      const is = stringParameter(value, 'is', where);
      if (typeof is !== 'string') return is;
      const comparison = parseMemberCountComparison(is);
      if (!comparison) return fail(`${where}.is must be a decimal integer optionally prefixed by ==, <, >, <= or >=`);
      return { ok: true, condition: { kind, is, comparison } };
    }
    case 'sender_notification_permission': {
      const key = stringParameter(value, 'key', where);
      if (typeof key !== 'string') return key;
      return { ok: true, condition: { kind, key } };
    }
    default:
      return { ok: true, condition: { kind: 'unrecognised', original: { ...value, kind } } };
  }
}

/** The stored form: only the parameters the kind defines (unrecognised kinds keep theirs). */
export function storedCondition(condition: ParsedCondition): PushCondition {
  switch (condition.kind) {
    case 'event_match':
      return { kind: condition.kind, key: condition.key, pattern: condition.pattern };
    case 'event_property_is':
    case 'event_property_contains':
      return { kind: condition.kind, key: condition.key, value: condition.value };
    case 'contains_display_name':
      return { kind: condition.kind };
    case 'room_member_count':
      return { kind: condition.kind, is: condition.is };
    case 'sender_notification_permission':
      return { kind: condition.kind, key: condition.key };
    case 'unrecognised':
      return condition.original;
  }
}
