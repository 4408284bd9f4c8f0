// Validating filters (POST /user/{userId}/filter, and filters given inline to /sync,
// /messages and /context). Every problem is M_BAD_JSON, as Synapse answers for filters that
// fail its schema: the body is JSON but "malformed in some way, e.g. … invalid values for
// keys". Unknown properties are ignored for forward compatibility and left out of the
// result; callers that must serve a filter back verbatim store the original body too.
import { isJsonObject, type JsonRecord } from '../json-object.ts';
import { frozenDefined, readBoolean, readLimit, readObject, readStringList, type Problems } from './field-readers.ts';
import type { EventFilter, EventFormat, Filter, FilterValidationError, RoomEventFilter, RoomFilter, Validation } from './types.ts';

const EVENT_FORMATS: readonly string[] = ['client', 'federation'];

function readEventFilterFields(object: JsonRecord, path: string, problems: Problems): EventFilter {
  return {
    limit: readLimit(object, 'limit', path, problems),
    types: readStringList(object, 'types', path, problems),
    not_types: readStringList(object, 'not_types', path, problems),
    senders: readStringList(object, 'senders', path, problems, '@'),
    not_senders: readStringList(object, 'not_senders', path, problems, '@'),
  };
}

function readEventFilter(object: JsonRecord, path: string, problems: Problems): EventFilter {
  return frozenDefined(readEventFilterFields(object, path, problems));
}

function readRoomEventFilter(object: JsonRecord, path: string, problems: Problems): RoomEventFilter {
  return frozenDefined({
    ...readEventFilterFields(object, path, problems),
    rooms: readStringList(object, 'rooms', path, problems, '!'),
    not_rooms: readStringList(object, 'not_rooms', path, problems, '!'),
    contains_url: readBoolean(object, 'contains_url', path, problems),
    lazy_load_members: readBoolean(object, 'lazy_load_members', path, problems),
    include_redundant_members: readBoolean(object, 'include_redundant_members', path, problems),
    unread_thread_notifications: readBoolean(object, 'unread_thread_notifications', path, problems),
  });
}

function readNested<T>(
  object: JsonRecord,
  key: string,
  path: string,
  problems: Problems,
  read: (value: JsonRecord, path: string, problems: Problems) => T,
): T | undefined {
  const value = readObject(object, key, path, problems);
  return value && read(value, `${path}${key}.`, problems);
}

function readRoomFilter(object: JsonRecord, path: string, problems: Problems): RoomFilter {
  return frozenDefined({
    rooms: readStringList(object, 'rooms', path, problems, '!'),
    not_rooms: readStringList(object, 'not_rooms', path, problems, '!'),
    include_leave: readBoolean(object, 'include_leave', path, problems),
    ephemeral: readNested(object, 'ephemeral', path, problems, readRoomEventFilter),
    state: readNested(object, 'state', path, problems, readRoomEventFilter),
    timeline: readNested(object, 'timeline', path, problems, readRoomEventFilter),
    account_data: readNested(object, 'account_data', path, problems, readRoomEventFilter),
  });
}

function readEventFormat(object: JsonRecord, problems: Problems): EventFormat | undefined {
  const value = object['event_format'];
  if (!Object.hasOwn(object, 'event_format') || value === null) return undefined;
  if (typeof value === 'string' && EVENT_FORMATS.includes(value)) return value as EventFormat;
  problems.push('event_format must be "client" or "federation"');
  return undefined;
}

function readFilter(object: JsonRecord, problems: Problems): Filter {
  return frozenDefined({
    event_fields: readStringList(object, 'event_fields', '', problems),
    event_format: readEventFormat(object, problems),
    presence: readNested(object, 'presence', '', problems, readEventFilter),
    account_data: readNested(object, 'account_data', '', problems, readEventFilter),
    room: readNested(object, 'room', '', problems, readRoomFilter),
  });
}

function validateWith<T>(body: unknown, read: (object: JsonRecord, problems: Problems) => T): Validation<T> {
  if (!isJsonObject(body)) return badJson('the filter must be a JSON object');
  const problems: Problems = [];
  const filter = read(body, problems);
  return problems.length > 0 ? badJson(problems[0] as string) : { ok: true, filter };
}

export function badJson(error: string): FilterValidationError {
  return { ok: false, errcode: 'M_BAD_JSON', error };
}

/** A whole filter (sync_filter.yaml). */
export function validateFilter(body: unknown): Validation<Filter> {
  return validateWith(body, readFilter);
}

/** A RoomEventFilter on its own, as /messages and /context take it. */
export function validateRoomEventFilter(body: unknown): Validation<RoomEventFilter> {
  return validateWith(body, (object, problems) => readRoomEventFilter(object, '', problems));
}

/** An EventFilter on its own. */
export function validateEventFilter(body: unknown): Validation<EventFilter> {
  return validateWith(body, (object, problems) => readEventFilter(object, '', problems));
}
