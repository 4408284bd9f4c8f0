// Applying EventFilter and RoomEventFilter to events. Exclusions win: "A matching type/sender/
// room will be excluded even if it is listed in the" inclusion list. A property the event
// lacks (or holds as a non-string) is in no list: never excluded by not_*, never included by
// a present inclusion list — so `senders` drops events without a sender, and `types: []`
// drops everything. Compiled predicates are cached per filter object; validateFilter's
// filters are frozen, which keeps the cache truthful.
import { isJsonObject, ownValue } from '../json-object.ts';
import { compileTypePatterns } from './type-patterns.ts';
import type { EventFilter, RoomEventFilter, RoomFilter } from './types.ts';

export type EventPredicate = (event: unknown) => boolean;
/** `roomId` is for events that do not carry room_id (client-format sync events, ephemeral
 * events); it defaults to the event's own room_id. */
export type RoomEventPredicate = (event: unknown, roomId?: string) => boolean;

type StringTest = (value: string | undefined) => boolean;

function stringOf(event: unknown, key: string): string | undefined {
  const value = ownValue(event, key);
  return typeof value === 'string' ? value : undefined;
}

/** The include/exclude pair for one property; undefined when neither list is given. */
function listTest(
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
  compile: (list: readonly string[]) => (value: string) => boolean,
): StringTest | undefined {
  if (!include && !exclude) return undefined;
  const included = include && compile(include);
  const excluded = exclude && compile(exclude);
  return (value) => {
    if (value === undefined) return !included;
    if (excluded?.(value)) return false;
    return !included || included(value);
  };
}

function membership(list: readonly string[]): (value: string) => boolean {
  const set = new Set(list);
  return (value) => set.has(value);
}

function eventChecks(filter: EventFilter): EventPredicate[] {
  const checks: EventPredicate[] = [];
  const types = listTest(filter.types, filter.not_types, compileTypePatterns);
  if (types) checks.push((event) => types(stringOf(event, 'type')));
  const senders = listTest(filter.senders, filter.not_senders, membership);
  if (senders) checks.push((event) => senders(stringOf(event, 'sender')));
  return checks;
}

function hasUrl(event: unknown): boolean {
  const content = ownValue(event, 'content');
  return isJsonObject(content) && Object.hasOwn(content, 'url');
}

export function compileEventFilter(filter: EventFilter | undefined): EventPredicate {
  const checks = filter ? eventChecks(filter) : [];
  return (event) => checks.every((check) => check(event));
}

export function compileRoomEventFilter(filter: RoomEventFilter | undefined): RoomEventPredicate {
  if (!filter) return () => true;
  const checks = eventChecks(filter);
  const rooms = listTest(filter.rooms, filter.not_rooms, membership);
  // contains_url: true keeps only events whose content has a `url` key, false drops them.
  const containsUrl = filter.contains_url;
  return (event, roomId) => {
    if (rooms && !rooms(roomId ?? stringOf(event, 'room_id'))) return false;
    if (containsUrl !== undefined && hasUrl(event) !== containsUrl) return false;
    return checks.every((check) => check(event));
  };
}

const eventPredicates = new WeakMap<EventFilter, EventPredicate>();
const roomEventPredicates = new WeakMap<RoomEventFilter, RoomEventPredicate>();

/** Whether `event` passes an EventFilter (presence, top-level account_data). No filter: yes. */
export function matchesEventFilter(filter: EventFilter | undefined, event: unknown): boolean {
  if (!filter) return true;
  let predicate = eventPredicates.get(filter);
  if (!predicate) eventPredicates.set(filter, (predicate = compileEventFilter(filter)));
  return predicate(event);
}

/** Whether `event` passes a RoomEventFilter (timeline, state, ephemeral, room account_data,
 * /messages, /context). No filter: yes. */
export function matchesRoomEventFilter(filter: RoomEventFilter | undefined, event: unknown, roomId?: string): boolean {
  if (!filter) return true;
  let predicate = roomEventPredicates.get(filter);
  if (!predicate) roomEventPredicates.set(filter, (predicate = compileRoomEventFilter(filter)));
  return predicate(event, roomId);
}

/** RoomFilter.rooms/not_rooms, "applied before the filters in ephemeral, state, timeline or
 * account_data". */
export function roomFilterIncludesRoom(roomFilter: RoomFilter | undefined, roomId: string): boolean {
  if (!roomFilter) return true;
  if (roomFilter.not_rooms?.includes(roomId)) return false;
  return !roomFilter.rooms || roomFilter.rooms.includes(roomId);
}
