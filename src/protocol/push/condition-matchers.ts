// Turns conditions into predicates, once per ruleset. Each predicate reads the event through
// an EventView and never throws, whatever the event holds.
import { compileGlob, compileLiteral, matchesWhole, matchesWordBounded, type Glob } from '../glob.ts';
import { parsePropertyPath } from '../property-path.ts';
import { compareMemberCount } from './member-count.ts';
import { isConditionValue, type ParsedCondition } from './conditions.ts';
import type { CompiledKey, EventText, EventView } from './event-view.ts';
import type { PushContext } from './types.ts';

export type Matcher = (view: EventView, context: PushContext) => boolean;

/** "the level required to trigger an @room notification. Defaults to 50 if unspecified";
 * applied to every notifications key. */
export const DEFAULT_NOTIFICATION_POWER_LEVEL = 50;

export function compileKey(path: string): CompiledKey {
  return { path, names: parsePropertyPath(path) };
}

export const BODY_KEY: CompiledKey = compileKey('content.body');

function isBodyKey(key: CompiledKey): boolean {
  return key.names.length === 2 && key.names[0] === 'content' && key.names[1] === 'body';
}

/** A glob tested the way event_match tests `key`: word-bounded substrings for content.body,
 * the entire value otherwise. */
export function textMatcher(key: CompiledKey, glob: Glob): Matcher {
  const test = isBodyKey(key)
    ? (text: EventText) => matchesWordBounded(glob, text.folded, text.original)
    : (text: EventText) => matchesWhole(glob, text.folded);
  return (view) => {
    const text = view.text(key);
    return text !== undefined && test(text);
  };
}

function displayNameMatcher(): Matcher {
  return (view, context) => {
    const name = context.displayName;
    // An empty name would match at every boundary of every message.
    if (typeof name !== 'string' || name.trim() === '') return false;
    const body = view.text(BODY_KEY);
    return body !== undefined && matchesWordBounded(compileLiteral(name, { caseInsensitive: true }), body.folded, body.original);
  };
}

function notificationPermissionMatcher(key: string): Matcher {
  return (_view, context) => {
    const required = context.notificationPowerLevels?.get(key) ?? DEFAULT_NOTIFICATION_POWER_LEVEL;
    const senderLevel = context.senderPowerLevel ?? 0;
    return typeof senderLevel === 'number' && typeof required === 'number' && senderLevel >= required;
  };
}

/** The predicate for a condition, or undefined for an unrecognised kind (never matches). */
export function compileCondition(condition: ParsedCondition): Matcher | undefined {
  switch (condition.kind) {
    case 'event_match':
      return textMatcher(compileKey(condition.key), compileGlob(condition.pattern, { caseInsensitive: true }));
    case 'event_property_is': {
      const key = compileKey(condition.key);
      const expected = condition.value;
      return (view) => {
        const actual = view.value(key);
        return isConditionValue(actual) && actual === expected;
      };
    }
    case 'event_property_contains': {
      const key = compileKey(condition.key);
      const expected = condition.value;
      // Entries of other types never equal a primitive, so they are ignored as required.
      return (view) => {
        const actual = view.value(key);
        return Array.isArray(actual) && actual.includes(expected);
      };
    }
    case 'contains_display_name':
      return displayNameMatcher();
    case 'room_member_count': {
      const comparison = condition.comparison;
      return (_view, context) =>
        typeof context.roomMemberCount === 'number' && compareMemberCount(context.roomMemberCount, comparison);
    }
    case 'sender_notification_permission':
      return notificationPermissionMatcher(condition.key);
    case 'unrecognised':
      return undefined;
  }
}
