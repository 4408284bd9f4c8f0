// Filter shapes (client-server API "Filtering"; definitions sync_filter.yaml,
// event_filter.yaml, room_event_filter.yaml). Since v1.13 the state filter is a plain
// RoomEventFilter. validateFilter returns deeply frozen filters, so compiled matchers can be
// cached per filter object.

export interface EventFilter {
  /** "The maximum number of events to return"; see effectiveLimit. */
  readonly limit?: number;
  readonly types?: readonly string[];
  readonly not_types?: readonly string[];
  readonly senders?: readonly string[];
  readonly not_senders?: readonly string[];
}

export interface RoomEventFilter extends EventFilter {
  readonly rooms?: readonly string[];
  readonly not_rooms?: readonly string[];
  readonly contains_url?: boolean;
  readonly lazy_load_members?: boolean;
  readonly include_redundant_members?: boolean;
  readonly unread_thread_notifications?: boolean;
}

export interface RoomFilter {
  readonly rooms?: readonly string[];
  readonly not_rooms?: readonly string[];
  readonly include_leave?: boolean;
  readonly ephemeral?: RoomEventFilter;
  readonly state?: RoomEventFilter;
  readonly timeline?: RoomEventFilter;
  readonly account_data?: RoomEventFilter;
}

export type EventFormat = 'client' | 'federation';

/** The body of POST /user/{userId}/filter and the `filter` of /sync. */
export interface Filter {
  readonly event_fields?: readonly string[];
  readonly event_format?: EventFormat;
  readonly presence?: EventFilter;
  readonly account_data?: EventFilter;
  readonly room?: RoomFilter;
}

export type FilterErrcode = 'M_BAD_JSON' | 'M_NOT_JSON';

export interface FilterValidationError {
  readonly ok: false;
  readonly errcode: FilterErrcode;
  readonly error: string;
}

export type Validation<T> = { readonly ok: true; readonly filter: T } | FilterValidationError;
