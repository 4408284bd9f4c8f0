// The tenant's newest events, in memory: every event this shard persists is recorded after
// its commit, so a woken /sync (and anything else reading a window of new events) can take
// them from here instead of reading them back. The log is only ever used for a stream
// window it holds completely: it covers the positions (from, to] with no gap, and a reader
// first learns the window's end from the database (the sync token), so an event written by
// another shard or not recorded here (a gap) can never be skipped — the reader then reads
// the database, as without the log.
//
// Commits of one tenant are ordered by the stream-position row lock, but their completions
// reach this process in any order: an event recorded ahead of a missing position waits in
// `early` until the gap closes. A gap that does not close (a position this shard did not
// write) restarts the log after it. Bounded: the oldest events leave first.
//
// Only timeline events may be recorded (persistEvent persists local, authorised events):
// the windows served from here do not filter outliers, soft-failed or rejected events as
// the database read does. Remote events, once federation persists them, must be recorded
// only when they are none of those.
import type { ChildSummary, RoomWindow, StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface RecentEvent {
  event: StoredEvent;
  /** The event's m.relates_to (events.relates_to_id / rel_type). */
  relatesTo?: { eventId: string; relType: string };
}

/** Events kept per tenant (about 1 KB each, until the tenant unloads when idle). A woken
 * long-poll needs the few since its last response; larger windows read the database. */
export const RECENT_EVENTS_CAPACITY = 64;
/** Events recorded ahead of a gap before the log gives up on the gap and restarts. */
const MAX_EARLY = 32;

export class RecentEvents {
  readonly #capacity: number;
  /** Position → event for every position in (#from, #to]. */
  readonly #byPosition = new Map<number, RecentEvent>();
  readonly #positionOf = new Map<string, number>();
  readonly #early = new Map<number, RecentEvent>();
  #from = 0;
  #to = -1;

  constructor(capacity = RECENT_EVENTS_CAPACITY) {
    this.#capacity = capacity;
  }

  record(entry: RecentEvent): void {
    const position = entry.event.streamOrdering;
    if (this.#to < 0) {
      this.#restartAt(entry);
      return;
    }
    if (position <= this.#to || this.#early.has(position)) return;
    if (position !== this.#to + 1) {
      this.#early.set(position, entry);
      if (this.#early.size > MAX_EARLY) this.#restartAt(this.#early.get(Math.max(...this.#early.keys())) as RecentEvent);
      return;
    }
    this.#append(entry);
    for (let next = this.#early.get(this.#to + 1); next !== undefined; next = this.#early.get(this.#to + 1)) {
      this.#early.delete(this.#to + 1);
      this.#append(next);
    }
  }

  /** A redaction was persisted: the event, if held, now reads as redacted. */
  markRedacted(eventId: string, redactionId: string): void {
    const position = this.#positionOf.get(eventId);
    // An event waiting in `early` is marked too, or it would read unredacted once appended.
    const entry = position === undefined ? [...this.#early.values()].find((e) => e.event.eventId === eventId) : this.#byPosition.get(position);
    // The first redaction stays, as in storage (markRedactedWrite: redacted_by IS NULL).
    if (entry && entry.event.redactedBy === null) entry.event = { ...entry.event, redactedBy: redactionId };
  }

  /** Whether every event of the tenant in (after, upTo] is held. */
  covers(after: number, upTo: number): boolean {
    return this.#to >= 0 && after >= this.#from && upTo <= this.#to && after <= upTo;
  }

  /** The room's events in the window (which must be covered), nearest `limit` to one end:
   * newest first when `backwards`, as storage's eventsInWindows returns them. */
  window(window: RoomWindow & { after: number }, limit: number, backwards: boolean): StoredEvent[] {
    const events: StoredEvent[] = [];
    const step = backwards ? -1 : 1;
    for (let p = backwards ? window.upTo : window.after + 1; p > window.after && p <= window.upTo && events.length < limit; p += step) {
      const entry = this.#byPosition.get(p);
      if (entry && entry.event.roomId === window.roomId) events.push(entry.event);
    }
    return events;
  }

  /**
   * Relation summaries (as storage's relationSummaries) of parents that are all held, or
   * undefined when one is not. A child is persisted after its parent, so every child of a
   * held parent is held too, up to the children not recorded yet — those a database read
   * made a moment earlier would not see either.
   */
  relationSummaries(parentIds: readonly string[], relTypes: readonly string[]): Map<string, Map<string, ChildSummary>> | undefined {
    let earliest = Infinity;
    for (const id of parentIds) {
      const position = this.#positionOf.get(id);
      if (position === undefined) return undefined;
      earliest = Math.min(earliest, position);
    }
    const byType = new Map<string, Map<string, ChildSummary>>(relTypes.map((t) => [t, new Map()]));
    const parents = new Set(parentIds);
    for (let p = earliest + 1; p <= this.#to; p++) {
      const entry = this.#byPosition.get(p);
      const relation = entry?.relatesTo;
      if (!entry || !relation || !parents.has(relation.eventId)) continue;
      const summaries = byType.get(relation.relType);
      if (!summaries) continue;
      const summary = summaries.get(relation.eventId) ?? { parentId: relation.eventId, count: 0, latestId: entry.event.eventId, latestBySender: new Map<string, string>() };
      summary.count++;
      summary.latestId = entry.event.eventId;
      summary.latestBySender.set(entry.event.pdu.sender, entry.event.eventId);
      summaries.set(relation.eventId, summary);
    }
    return byType;
  }

  #append(entry: RecentEvent): void {
    const position = entry.event.streamOrdering;
    this.#byPosition.set(position, entry);
    this.#positionOf.set(entry.event.eventId, position);
    this.#to = position;
    while (this.#byPosition.size > this.#capacity) this.#dropOldest();
  }

  #dropOldest(): void {
    this.#from++;
    const entry = this.#byPosition.get(this.#from);
    if (!entry) return;
    this.#byPosition.delete(this.#from);
    this.#positionOf.delete(entry.event.eventId);
  }

  /** Forgets everything and covers only (position - 1, position]. */
  #restartAt(entry: RecentEvent): void {
    this.#byPosition.clear();
    this.#positionOf.clear();
    this.#early.clear();
    this.#from = entry.event.streamOrdering - 1;
    this.#to = this.#from;
    this.#append(entry);
  }
}

export function recentEventsOf(tenant: TenantContext): RecentEvents {
  return (tenant.caches.recentEvents ??= new RecentEvents());
}
