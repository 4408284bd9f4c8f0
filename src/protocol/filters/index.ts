// Filters (client-server API "Filtering"): validation, event matching, event_fields
// projection and the settings /sync, /messages and /context read from a filter. Pure.
export { validateEventFilter, validateFilter, validateRoomEventFilter } from './validate.ts';
export { parseRoomEventFilterParam, parseSyncFilterParam, type SyncFilterParam } from './params.ts';
export {
  compileEventFilter,
  compileRoomEventFilter,
  matchesEventFilter,
  matchesRoomEventFilter,
  roomFilterIncludesRoom,
  type EventPredicate,
  type RoomEventPredicate,
} from './match.ts';
export { applyEventFields, compileEventFields, type FieldProjection } from './event-fields.ts';
export {
  DEFAULT_EVENT_LIMIT,
  effectiveLimit,
  eventFormat,
  lazyLoadMembers,
  MAX_EVENT_LIMIT,
  syncFilterOptions,
  type LazyLoading,
  type LimitPolicy,
  type SyncFilterOptions,
} from './options.ts';
export type {
  EventFilter,
  EventFormat,
  Filter,
  FilterErrcode,
  FilterValidationError,
  RoomEventFilter,
  RoomFilter,
  Validation,
} from './types.ts';
