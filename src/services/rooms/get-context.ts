// GET /rooms/{roomId}/context/{eventId}: an event with the events around it and the room
// state at the last event returned. The filter applies to everything but the event itself.
import { MatrixError } from '../../errors/matrix-error.ts';
import { effectiveLimit, lazyLoadMembers, matchesRoomEventFilter, type RoomEventFilter } from '../../protocol/filters/index.ts';
import { getEvent, getEvents, type StoredEvent } from '../../storage/rooms/events.ts';
import { getEventsStateGroups, loadStateGroups, type StateSelection } from '../../storage/rooms/state-groups.ts';
import { currentPosition } from '../../storage/stream-positions.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { ignoredUsers } from '../account-data/ignored-users.ts';
import { roomPositionToken } from '../sync/sync-token.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { collectRoomEvents } from './collect-events.ts';
import { requireReadAccess } from './room-access.ts';
import { serializeEventLists } from './serialize-events.ts';
import { filterVisibleEvents } from './visibility.ts';

export interface ContextResponse {
  start: string;
  end: string;
  event: ClientEvent;
  events_before: ClientEvent[];
  events_after: ClientEvent[];
  state: ClientEvent[];
}

function notFound(): MatrixError {
  return new MatrixError('M_NOT_FOUND', 'Event not found');
}

export async function getEventContext(
  tenant: TenantContext,
  viewer: Viewer,
  roomId: string,
  eventId: string,
  options: { limit?: number; filter?: RoomEventFilter },
): Promise<ContextResponse> {
  if (options.limit !== undefined && (!Number.isSafeInteger(options.limit) || options.limit < 0)) throw new MatrixError('M_INVALID_PARAM', 'limit must be a non-negative integer');
  const access = await requireReadAccess(tenant, viewer.userId, roomId);
  const event = await getEvent(tenant.db, eventId);
  if (!event || event.roomId !== roomId || (access.upTo !== undefined && event.streamOrdering > access.upTo)) throw notFound();
  if ((await filterVisibleEvents(tenant, viewer.userId, [event])).length === 0) throw notFound();

  const limit = effectiveLimit({ limit: options.limit ?? options.filter?.limit });
  const beforeLimit = Math.floor(limit / 2);
  const ceiling = access.upTo ?? (await currentPosition(tenant.db, 'events'));
  const ignoredSenders = await ignoredUsers(tenant, viewer.userId);
  const around = { filter: options.filter, ignoredSenders };
  const [before, after] = await Promise.all([
    collectRoomEvents(tenant, viewer.userId, [{ roomId, after: null, upTo: event.streamOrdering - 1 }], { ...around, limit: beforeLimit, backwards: true }),
    collectRoomEvents(tenant, viewer.userId, [{ roomId, after: event.streamOrdering, upTo: ceiling }], { ...around, limit: limit - beforeLimit, backwards: false }),
  ]);
  const eventsBefore = before.get(roomId)?.events ?? [];
  const eventsAfter = after.get(roomId)?.events ?? [];
  const last = eventsAfter.at(-1) ?? event;
  const state = await stateAt(tenant, last, [event, ...eventsBefore, ...eventsAfter], options.filter);
  const [formattedEvent, formattedBefore, formattedAfter, formattedState] = await serializeEventLists(tenant, [[event], eventsBefore, eventsAfter, state], { viewer });
  return {
    start: roomPositionToken((eventsBefore.at(-1) ?? event).streamOrdering - 1),
    end: roomPositionToken(last.streamOrdering),
    event: (formattedEvent as ClientEvent[])[0] as ClientEvent,
    events_before: formattedBefore ?? [],
    events_after: formattedAfter ?? [],
    state: formattedState ?? [],
  };
}

/** The state after `at`, filtered; with lazy-loading only the members who sent `shown`. */
async function stateAt(tenant: TenantContext, at: StoredEvent, shown: readonly StoredEvent[], filter: RoomEventFilter | undefined): Promise<StoredEvent[]> {
  const group = (await getEventsStateGroups(tenant.db, [at.eventId])).get(at.eventId)?.after;
  if (group === undefined) return [];
  const selection: StateSelection | undefined = lazyLoadMembers(filter).enabled
    ? { types: 'all', exceptTypes: ['m.room.member'], keys: [...new Set(shown.map((e) => e.pdu.sender))].map((s) => ['m.room.member', s] as const) }
    : undefined;
  const state = (await loadStateGroups(tenant.db, [group], selection)).get(group) ?? new Map();
  const events = await getEvents(tenant.db, [...state.values()]);
  return [...events.values()].filter((e) => matchesRoomEventFilter(filter, e.pdu, e.roomId)).sort((a, b) => a.streamOrdering - b.streamOrdering);
}
