// The tenant's in-memory log of recent events (services/rooms/recent-events.ts), pure: events
// are built by hand. Coverage without gaps (in order, out of order, a gap that never closes,
// eviction), windows as storage's eventsInWindows returns them, relation summaries as
// storage's relationSummaries computes them, and redaction marks.
import { describe, expect, test } from 'vitest';
import type { Pdu } from '../../src/protocol/types.ts';
import { RecentEvents, type RecentEvent } from '../../src/services/rooms/recent-events.ts';
import type { ChildSummary } from '../../src/storage/rooms/events.ts';

const ROOM = '!room:recent.example';
const OTHER_ROOM = '!other:recent.example';
const ALICE = '@alice:recent.example';
const BOB = '@bob:recent.example';
const CAROL = '@carol:recent.example';

interface EventSpec {
  room?: string;
  sender?: string;
  relatesTo?: { eventId: string; relType: string };
  id?: string;
}

/** The event at stream position `position` (ID `$<position>` unless given). */
function ev(position: number, spec: EventSpec = {}): RecentEvent {
  const pdu: Pdu = {
    type: 'm.room.message',
    sender: spec.sender ?? ALICE,
    room_id: spec.room ?? ROOM,
    origin_server_ts: 1_700_000_000_000 + position,
    content: { msgtype: 'm.text', body: `event ${position}`, ...(spec.relatesTo ? { 'm.relates_to': { rel_type: spec.relatesTo.relType, event_id: spec.relatesTo.eventId } } : {}) },
    prev_events: [],
    auth_events: [],
    depth: position,
  };
  return {
    event: { eventId: spec.id ?? `$${position}`, streamOrdering: position, roomId: spec.room ?? ROOM, pdu, redactedBy: null, replacesState: null },
    ...(spec.relatesTo ? { relatesTo: spec.relatesTo } : {}),
  };
}

function recordAll(log: RecentEvents, entries: readonly RecentEvent[]): void {
  for (const entry of entries) log.record(entry);
}

function positions(log: RecentEvents, roomId: string, after: number, upTo: number, limit = 1000, backwards = false): number[] {
  return log.window({ roomId, after, upTo }, limit, backwards).map((e) => e.streamOrdering);
}

describe('coverage', () => {
  test('an empty log covers nothing', () => {
    const log = new RecentEvents();
    expect(log.covers(0, 0)).toBe(false);
    expect(log.covers(0, 1)).toBe(false);
    expect(log.covers(-1, 0)).toBe(false);
  });

  test('events recorded in order are covered from just before the first one', () => {
    const log = new RecentEvents();
    recordAll(log, [ev(5), ev(6), ev(7)]);
    expect(log.covers(4, 7)).toBe(true);
    expect(log.covers(5, 6)).toBe(true);
    expect(log.covers(7, 7)).toBe(true);
    // Position 4 was never recorded: a window that includes it is not covered.
    expect(log.covers(3, 7)).toBe(false);
    // Nothing beyond the newest recorded event.
    expect(log.covers(4, 8)).toBe(false);
    // A reversed window is never covered.
    expect(log.covers(6, 5)).toBe(false);
    expect(positions(log, ROOM, 4, 7)).toEqual([5, 6, 7]);
  });

  test('an event recorded ahead of a missing position waits until the gap closes', () => {
    const log = new RecentEvents();
    log.record(ev(1));
    log.record(ev(3));
    expect(log.covers(0, 1)).toBe(true);
    expect(log.covers(0, 3)).toBe(false);
    expect(log.covers(1, 3)).toBe(false);
    expect(positions(log, ROOM, 0, 1)).toEqual([1]);
    log.record(ev(4));
    expect(log.covers(0, 4)).toBe(false);
    log.record(ev(2));
    expect(log.covers(0, 4)).toBe(true);
    expect(positions(log, ROOM, 0, 4)).toEqual([1, 2, 3, 4]);
    // Recording an event again changes nothing.
    log.record(ev(3));
    log.record(ev(1));
    expect(positions(log, ROOM, 0, 4)).toEqual([1, 2, 3, 4]);
  });

  test('a gap that never closes: not covered beyond it; after more than 32 early events the log restarts', () => {
    const log = new RecentEvents();
    log.record(ev(1));
    // Position 2 is never recorded (another shard wrote it). 32 events wait behind it.
    for (let p = 3; p <= 34; p++) log.record(ev(p));
    expect(log.covers(0, 1)).toBe(true);
    expect(log.covers(0, 2)).toBe(false);
    expect(log.covers(1, 34)).toBe(false);
    expect(log.covers(2, 34)).toBe(false);
    // The 33rd early event: the log gives up on the gap and restarts at the newest event.
    log.record(ev(35));
    expect(log.covers(34, 35)).toBe(true);
    expect(log.covers(33, 35)).toBe(false);
    expect(log.covers(0, 1)).toBe(false);
    expect(positions(log, ROOM, 34, 35)).toEqual([35]);
    // The missing event arriving late is not taken (it lies before the restart point).
    log.record(ev(2));
    expect(log.covers(0, 2)).toBe(false);
    expect(log.covers(1, 2)).toBe(false);
    // Recording goes on from the restart point.
    log.record(ev(36));
    expect(log.covers(34, 36)).toBe(true);
    expect(positions(log, ROOM, 34, 36)).toEqual([35, 36]);
  });

  test('at capacity the oldest events leave first and the covered range starts later', () => {
    const log = new RecentEvents(3);
    recordAll(log, [ev(1), ev(2), ev(3)]);
    expect(log.covers(0, 3)).toBe(true);
    log.record(ev(4));
    expect(log.covers(0, 4)).toBe(false);
    expect(log.covers(1, 4)).toBe(true);
    log.record(ev(5));
    expect(log.covers(1, 5)).toBe(false);
    expect(log.covers(2, 5)).toBe(true);
    expect(positions(log, ROOM, 2, 5)).toEqual([3, 4, 5]);
    // An evicted event is no longer a known parent.
    expect(log.relationSummaries(['$1'], ['m.thread'])).toBeUndefined();
    expect(log.relationSummaries(['$3'], ['m.thread'])).toBeDefined();
  });

  test('events completed out of order count against capacity only once appended', () => {
    const log = new RecentEvents(3);
    recordAll(log, [ev(10), ev(12), ev(13), ev(14)]);
    expect(log.covers(9, 10)).toBe(true);
    log.record(ev(11));
    // Five events, capacity three: (11, 14] remains.
    expect(log.covers(11, 14)).toBe(true);
    expect(log.covers(10, 14)).toBe(false);
    expect(positions(log, ROOM, 11, 14)).toEqual([12, 13, 14]);
  });
});

describe('window', () => {
  // Positions 1–8, alternating between two rooms.
  const log = new RecentEvents();
  recordAll(
    log,
    [1, 2, 3, 4, 5, 6, 7, 8].map((p) => ev(p, { room: p % 2 === 1 ? ROOM : OTHER_ROOM })),
  );

  test('backwards: newest first; forwards: oldest first; only the window and the room', () => {
    expect(positions(log, ROOM, 0, 8, 100, true)).toEqual([7, 5, 3, 1]);
    expect(positions(log, ROOM, 0, 8, 100, false)).toEqual([1, 3, 5, 7]);
    expect(positions(log, OTHER_ROOM, 0, 8, 100, true)).toEqual([8, 6, 4, 2]);
    // The window is (after, upTo]: `after` itself is left out, `upTo` included.
    expect(positions(log, ROOM, 3, 7, 100, false)).toEqual([5, 7]);
    expect(positions(log, OTHER_ROOM, 2, 6, 100, true)).toEqual([6, 4]);
    expect(positions(log, '!unknown:recent.example', 0, 8, 100, true)).toEqual([]);
  });

  test('the limit keeps the events nearest the end read from', () => {
    expect(positions(log, ROOM, 0, 8, 2, true)).toEqual([7, 5]);
    expect(positions(log, ROOM, 0, 8, 2, false)).toEqual([1, 3]);
    expect(positions(log, ROOM, 0, 8, 0, true)).toEqual([]);
    // The limit counts the room's events, not the positions looked at.
    expect(positions(log, OTHER_ROOM, 0, 7, 1, true)).toEqual([6]);
  });

  test('an empty window has no events', () => {
    expect(positions(log, ROOM, 5, 5, 10, true)).toEqual([]);
    expect(positions(log, ROOM, 7, 8, 10, false)).toEqual([]);
  });
});

/** What storage's relationSummaries computes from the same rows: every event relating to a
 * parent with a wanted type, in stream order (a reference written from the SQL). */
function storageSummaries(entries: readonly RecentEvent[], parentIds: readonly string[], relTypes: readonly string[]): Map<string, Map<string, ChildSummary>> {
  const byType = new Map<string, Map<string, ChildSummary>>(relTypes.map((t) => [t, new Map()]));
  const rows = entries
    .filter((e) => e.relatesTo && parentIds.includes(e.relatesTo.eventId) && relTypes.includes(e.relatesTo.relType))
    .sort((a, b) => a.event.streamOrdering - b.event.streamOrdering);
  for (const row of rows) {
    const { eventId: parentId, relType } = row.relatesTo as { eventId: string; relType: string };
    const summaries = byType.get(relType) as Map<string, ChildSummary>;
    const summary = summaries.get(parentId) ?? { parentId, count: 0, latestId: row.event.eventId, latestBySender: new Map<string, string>() };
    summary.count++;
    summary.latestId = row.event.eventId;
    summary.latestBySender.set(row.event.pdu.sender, row.event.eventId);
    summaries.set(parentId, summary);
  }
  return byType;
}

describe('relationSummaries', () => {
  const thread = (parent: string) => ({ eventId: parent, relType: 'm.thread' });
  const edit = (parent: string) => ({ eventId: parent, relType: 'm.replace' });
  const entries = [
    ev(1, { sender: ALICE }),
    ev(2, { sender: BOB }),
    ev(3, { sender: ALICE, relatesTo: edit('$1') }),
    ev(4, { sender: BOB, relatesTo: thread('$1') }),
    ev(5, { sender: CAROL, relatesTo: thread('$1'), room: ROOM }),
    ev(6, { sender: ALICE, relatesTo: edit('$1') }),
    ev(7, { sender: CAROL, relatesTo: { eventId: '$1', relType: 'm.annotation' } }),
    ev(8, { sender: BOB, relatesTo: thread('$2') }),
    ev(9, { sender: BOB, relatesTo: edit('$1') }),
    ev(10, { sender: ALICE, room: OTHER_ROOM }),
    ev(11, { sender: BOB, relatesTo: thread('$1') }),
  ];
  const log = new RecentEvents();
  recordAll(log, entries);

  test('count, newest child and newest child per sender, per relation type', () => {
    const summaries = log.relationSummaries(['$1', '$2', '$10'], ['m.thread', 'm.replace']);
    expect(summaries).toEqual(
      new Map([
        [
          'm.thread',
          new Map([
            ['$1', { parentId: '$1', count: 3, latestId: '$11', latestBySender: new Map([[BOB, '$11'], [CAROL, '$5']]) }],
            ['$2', { parentId: '$2', count: 1, latestId: '$8', latestBySender: new Map([[BOB, '$8']]) }],
          ]),
        ],
        ['m.replace', new Map([['$1', { parentId: '$1', count: 3, latestId: '$9', latestBySender: new Map([[ALICE, '$6'], [BOB, '$9']]) }]])],
      ]),
    );
  });

  test('equals what storage computes from the same events, for any held parents and types', () => {
    const parentSets = [['$1'], ['$2'], ['$1', '$2'], ['$10', '$3'], ['$1', '$1'], []];
    const typeSets = [['m.thread'], ['m.replace'], ['m.thread', 'm.replace', 'm.annotation'], []];
    for (const parents of parentSets) {
      for (const types of typeSets) expect(log.relationSummaries(parents, types), `${parents} ${types}`).toEqual(storageSummaries(entries, parents, types));
    }
  });

  test('undefined when a parent is not held', () => {
    expect(log.relationSummaries(['$1', '$missing'], ['m.thread'])).toBeUndefined();
    expect(log.relationSummaries(['$0'], ['m.replace'])).toBeUndefined();
    const restarted = new RecentEvents();
    recordAll(restarted, entries.slice(3));
    // $1 was written before the log started: its children here are not all of them.
    expect(restarted.relationSummaries(['$1'], ['m.thread'])).toBeUndefined();
    expect(restarted.relationSummaries(['$5'], ['m.thread'])).toEqual(new Map([['m.thread', new Map()]]));
  });

  test('an event waiting behind a gap is not a held parent', () => {
    const gapped = new RecentEvents();
    recordAll(gapped, [ev(1), ev(3), ev(4, { relatesTo: thread('$3') })]);
    expect(gapped.relationSummaries(['$3'], ['m.thread'])).toBeUndefined();
    gapped.record(ev(2));
    expect(gapped.relationSummaries(['$3'], ['m.thread'])?.get('m.thread')?.get('$3')?.count).toBe(1);
  });
});

describe('markRedacted', () => {
  function redactedBy(log: RecentEvents, position: number): string | null | undefined {
    return log.window({ roomId: ROOM, after: position - 1, upTo: position }, 1, false)[0]?.redactedBy;
  }

  test('marks a held event redacted, and no other', () => {
    const log = new RecentEvents();
    recordAll(log, [ev(1), ev(2), ev(3, { id: '$redaction' })]);
    const before = log.window({ roomId: ROOM, after: 0, upTo: 3 }, 10, false);
    log.markRedacted('$1', '$redaction');
    expect(redactedBy(log, 1)).toBe('$redaction');
    expect(redactedBy(log, 2)).toBeNull();
    expect(redactedBy(log, 3)).toBeNull();
    // Events handed out earlier are not changed underneath their reader.
    expect(before[0]?.redactedBy).toBeNull();
  });

  test('an event not held (unknown or evicted) is left alone', () => {
    const log = new RecentEvents(2);
    recordAll(log, [ev(1), ev(2), ev(3)]);
    log.markRedacted('$unknown', '$r');
    log.markRedacted('$1', '$r');
    expect(redactedBy(log, 2)).toBeNull();
    expect(redactedBy(log, 3)).toBeNull();
    expect(log.covers(0, 3)).toBe(false);
  });

  test('a second redaction keeps the first one, as storage does (redacted_by IS NULL)', () => {
    const log = new RecentEvents();
    recordAll(log, [ev(1), ev(2, { id: '$first' }), ev(3, { id: '$second' })]);
    log.markRedacted('$1', '$first');
    log.markRedacted('$1', '$second');
    expect(redactedBy(log, 1)).toBe('$first');
  });

  test('an event waiting behind a gap when redacted reads as redacted once the gap closes', () => {
    // $3 commits ahead of position 2 (still completing), its redaction $4 follows.
    const log = new RecentEvents();
    recordAll(log, [ev(1), ev(3), ev(4, { id: '$redaction' })]);
    log.markRedacted('$3', '$redaction');
    log.record(ev(2));
    expect(log.covers(0, 4)).toBe(true);
    expect(redactedBy(log, 3)).toBe('$redaction');
  });
});
