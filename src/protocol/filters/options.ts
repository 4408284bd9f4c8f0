// The settings a filter carries besides event matching, with the spec's defaults, in the form
// the /sync, /messages and /context code consumes them.
import type { EventFilter, EventFormat, Filter, RoomEventFilter } from './types.ts';

/** "Servers should apply a default value": 10, as /messages and /context default to and
 * Synapse uses for sync timelines. */
export const DEFAULT_EVENT_LIMIT = 10;
/** "… and impose a maximum value to avoid resource exhaustion." */
export const MAX_EVENT_LIMIT = 1000;

export interface LimitPolicy {
  readonly defaultLimit?: number;
  readonly maxLimit?: number;
}

/** The filter's limit, or the default, capped at the maximum. */
export function effectiveLimit(filter: EventFilter | undefined, policy: LimitPolicy = {}): number {
  const maxLimit = policy.maxLimit ?? MAX_EVENT_LIMIT;
  return Math.min(filter?.limit ?? policy.defaultLimit ?? DEFAULT_EVENT_LIMIT, maxLimit);
}

export interface LazyLoading {
  /** Only send membership events for the senders of returned events. */
  readonly enabled: boolean;
  /** Resend membership events the client has already been sent; meaningless unless enabled
   * ("Does not apply unless lazy_load_members is true"). */
  readonly includeRedundant: boolean;
}

/** Lazy-loading settings of a RoomEventFilter. For /sync pass the filter's room.state: "Lazy-
 * loading members is only supported on the state part of a RoomFilter for this endpoint". */
export function lazyLoadMembers(filter: RoomEventFilter | undefined): LazyLoading {
  const enabled = filter?.lazy_load_members === true;
  return { enabled, includeRedundant: enabled && filter?.include_redundant_members === true };
}

export function eventFormat(filter: Filter | undefined): EventFormat {
  return filter?.event_format ?? 'client';
}

export interface SyncFilterOptions {
  readonly timelineLimit: number;
  readonly lazyLoadMembers: LazyLoading;
  readonly includeLeave: boolean;
  /** Per-thread notification counts; read from room.timeline, the filter that governs the
   * events the counts describe (the spec only says it "applies to the /sync endpoint"). */
  readonly unreadThreadNotifications: boolean;
  readonly eventFormat: EventFormat;
  readonly eventFields: readonly string[] | undefined;
}

/** Everything /sync needs from a filter besides event matching. */
export function syncFilterOptions(filter: Filter | undefined, policy: LimitPolicy = {}): SyncFilterOptions {
  const room = filter?.room;
  return {
    timelineLimit: effectiveLimit(room?.timeline, policy),
    lazyLoadMembers: lazyLoadMembers(room?.state),
    includeLeave: room?.include_leave === true,
    unreadThreadNotifications: room?.timeline?.unread_thread_notifications === true,
    eventFormat: eventFormat(filter),
    eventFields: filter?.event_fields,
  };
}
