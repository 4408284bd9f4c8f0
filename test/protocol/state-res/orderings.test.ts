// The two orderings in isolation (rooms/v2 "Reverse topological power ordering" and
// "Mainline ordering"), on plain events.
import { describe, expect, it } from 'vitest';
import { EventIndex, type ResEvent } from '../../../src/protocol/state-res/event-index.ts';
import { mainlineOrdering } from '../../../src/protocol/state-res/mainline.ts';
import { reverseTopologicalPowerOrdering } from '../../../src/protocol/state-res/power-ordering.ts';

interface Spec {
  auth?: string[];
  ts?: number;
  type?: string;
  power?: number;
}

function index(specs: Record<string, Spec>): { index: EventIndex; power: (e: ResEvent) => number } {
  const events: Record<string, object> = {};
  for (const [id, spec] of Object.entries(specs)) {
    events[id] = { type: spec.type ?? 'm.room.join_rules', state_key: '', sender: '@a:x', origin_server_ts: spec.ts ?? 0, content: {}, auth_events: spec.auth ?? [] };
  }
  return { index: new EventIndex(events), power: (e) => specs[e.id]?.power ?? 0 };
}

const ids = (events: ResEvent[]): string[] => events.map((e) => e.id);

describe('reverse topological power ordering', () => {
  it('orders by power (greater first), then origin_server_ts, then event_id', () => {
    const { index: idx, power } = index({ a: { power: 10, ts: 5 }, b: { power: 50, ts: 9 }, c: { power: 10, ts: 1 }, d: { power: 10, ts: 1 } });
    expect(ids(reverseTopologicalPowerOrdering(idx, new Set(['a', 'b', 'c', 'd']), power))).toEqual(['b', 'c', 'd', 'a']);
  });

  it('never puts an event before its auth ancestors, however powerful', () => {
    const { index: idx, power } = index({ low: { power: 0 }, high: { power: 100, auth: ['low'] } });
    expect(ids(reverseTopologicalPowerOrdering(idx, new Set(['low', 'high']), power))).toEqual(['low', 'high']);
  });

  it('respects ancestry through events outside the selection', () => {
    // high → outside → low: only reachability links the two selected events.
    const { index: idx, power } = index({ low: { power: 0 }, outside: { auth: ['low'] }, high: { power: 100, auth: ['outside'] } });
    expect(ids(reverseTopologicalPowerOrdering(idx, new Set(['low', 'high']), power))).toEqual(['low', 'high']);
  });

  it('is the lexicographically smallest order: a ready powerful event goes before a weaker ready one', () => {
    // x0 (power 0) unlocks x1 (power 100); y (power 50) is ready from the start.
    const { index: idx, power } = index({ x0: { power: 0 }, x1: { power: 100, auth: ['x0'] }, y: { power: 50 } });
    expect(ids(reverseTopologicalPowerOrdering(idx, new Set(['x0', 'x1', 'y']), power))).toEqual(['y', 'x0', 'x1']);
  });

  it('treats Infinity (v12 creators) as the greatest power', () => {
    const { index: idx, power } = index({ admin: { power: 100 }, creator: { power: Infinity, ts: 99 } });
    expect(ids(reverseTopologicalPowerOrdering(idx, new Set(['admin', 'creator']), power))).toEqual(['creator', 'admin']);
  });
});

describe('mainline ordering', () => {
  const PL = 'm.room.power_levels';
  // Mainline: p2 → p1 → p0. q1 is a power levels event off the mainline, based on p0.
  const specs: Record<string, Spec> = {
    p0: { type: PL },
    p1: { type: PL, auth: ['p0'] },
    p2: { type: PL, auth: ['p1'] },
    q1: { type: PL, auth: ['p0'] },
    onP2: { ts: 1, auth: ['p2'] },
    onP1: { ts: 2, auth: ['p1'] },
    onQ1: { ts: 3, auth: ['q1'] },
    onNothing: { ts: 9 },
    onP1late: { ts: 7, auth: ['p1'] },
  };

  it('sorts the earliest meeting point with the mainline first, then by timestamp', () => {
    const { index: idx } = index(specs);
    const events = ['onP2', 'onP1', 'onQ1', 'onNothing', 'onP1late'].map((id) => idx.get(id));
    // positions: onNothing ∞, onQ1 2 (via p0), onP1/onP1late 1, onP2 0.
    expect(ids(mainlineOrdering(idx, events, idx.get('p2')))).toEqual(['onNothing', 'onQ1', 'onP1', 'onP1late', 'onP2']);
  });

  it('does not count a power levels event as its own first mainline event', () => {
    const { index: idx } = index(specs);
    // p1 itself is on the mainline, but its position comes from its auth event p0 (2),
    // so it sorts before onP1 (1).
    expect(ids(mainlineOrdering(idx, [idx.get('onP1'), idx.get('p1')], idx.get('p2')))).toEqual(['p1', 'onP1']);
  });

  it('with no resolved power levels every position is infinite: timestamp order', () => {
    const { index: idx } = index(specs);
    const events = ['onP1late', 'onP2', 'onQ1'].map((id) => idx.get(id));
    expect(ids(mainlineOrdering(idx, events, undefined))).toEqual(['onP2', 'onQ1', 'onP1late']);
  });
});
