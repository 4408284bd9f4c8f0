// Reading a page of room events the way clients are served them: per room a stream window,
// events matching a RoomEventFilter and visible to the user, up to a limit. Rooms are read
// together (one query per round for all rooms); a filter or history visibility that drops
// events costs further rounds with larger batches, at most MAX_ROUNDS.
import { matchesRoomEventFilter, type RoomEventFilter } from '../../protocol/filters/index.ts';
import type { UserMembership } from '../../storage/rooms/current-state.ts';
import { eventsInWindows, type RoomWindow, type StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { recentEventsOf } from './recent-events.ts';
import { filterVisibleEvents } from './visibility.ts';

const MAX_ROUNDS = 3;
const MAX_BATCH = 1000;

export interface CollectedEvents {
  /** In scan order: newest first when reading backwards. */
  events: StoredEvent[];
  /** More matching events may lie beyond the last one returned (within the window). */
  more: boolean;
  /** Stream position of the last event looked at; undefined when none was. */
  scannedTo: number | undefined;
}

export interface CollectOptions {
  limit: number;
  backwards: boolean;
  filter?: RoomEventFilter;
  /** The user's current memberships, when the caller has them (saves a query). */
  memberships?: ReadonlyMap<string, UserMembership>;
  /** Users whose non-state events are left out (the user ignores them). */
  ignoredSenders?: ReadonlySet<string>;
}

/** Ignoring a user hides their messages, not the state they set (spec "Ignoring Users"). */
function ignored(event: StoredEvent, senders: ReadonlySet<string> | undefined): boolean {
  return senders !== undefined && event.pdu.state_key === undefined && senders.has(event.pdu.sender);
}

interface Progress {
  window: RoomWindow;
  result: CollectedEvents;
}

/** eventsInWindows, taking windows the tenant's recent events hold from memory. */
async function windowsOfEvents(tenant: TenantContext, windows: readonly RoomWindow[], limit: number, backwards: boolean): Promise<Map<string, StoredEvent[]>> {
  const recent = recentEventsOf(tenant);
  const result = new Map<string, StoredEvent[]>();
  const unheld: RoomWindow[] = [];
  for (const window of windows) {
    if (window.after !== null && recent.covers(window.after, window.upTo)) result.set(window.roomId, recent.window({ ...window, after: window.after }, limit, backwards));
    else unheld.push(window);
  }
  if (unheld.length === 0) return result;
  for (const [roomId, events] of await eventsInWindows(tenant.db, unheld, limit, backwards)) result.set(roomId, events);
  return result;
}

export async function collectRoomEvents(tenant: TenantContext, userId: string, windows: readonly RoomWindow[], options: CollectOptions): Promise<Map<string, CollectedEvents>> {
  const results = new Map<string, CollectedEvents>();
  const pending = new Map<string, Progress>();
  for (const window of windows) {
    const result: CollectedEvents = { events: [], more: false, scannedTo: undefined };
    results.set(window.roomId, result);
    if (options.limit > 0 && (window.after === null || window.after < window.upTo)) pending.set(window.roomId, { window, result });
    else result.more = options.limit === 0 && (window.after === null || window.after < window.upTo);
  }
  for (let round = 0; round < MAX_ROUNDS && pending.size > 0; round++) {
    const batch = Math.min(MAX_BATCH, round === 0 ? options.limit + 1 : (options.limit + 1) * 5 ** round);
    const fetched = await windowsOfEvents(tenant, [...pending.values()].map((p) => p.window), batch, options.backwards);
    const candidates = [...fetched.entries()].flatMap(([roomId, events]) =>
      events.filter((e) => !ignored(e, options.ignoredSenders) && matchesRoomEventFilter(options.filter, e.pdu, roomId)),
    );
    const visible = new Set((await filterVisibleEvents(tenant, userId, candidates, { memberships: options.memberships })).map((e) => e.eventId));
    for (const [roomId, events] of fetched) {
      const progress = pending.get(roomId) as Progress;
      const { result, window } = progress;
      let done = events.length < batch;
      for (const event of events) {
        if (visible.has(event.eventId)) {
          if (result.events.length === options.limit) {
            result.more = true;
            done = true;
            break;
          }
          result.events.push(event);
        }
        result.scannedTo = event.streamOrdering;
      }
      if (done) {
        pending.delete(roomId);
        continue;
      }
      const scanned = result.scannedTo as number;
      progress.window = options.backwards ? { ...window, upTo: scanned - 1 } : { ...window, after: scanned };
      if (progress.window.after !== null && progress.window.after >= progress.window.upTo) pending.delete(roomId);
    }
  }
  // Rooms still pending after the last round: there may be more.
  for (const progress of pending.values()) progress.result.more = true;
  return results;
}
