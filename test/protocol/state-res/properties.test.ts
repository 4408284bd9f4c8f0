// Properties of resolution over random forked rooms (fast-check): it is a function of the
// set of state sets — deterministic, independent of their order and of entry order — and
// it leaves agreed state alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tryResolveState, type StateTuple } from '../../../src/protocol/state-res/index.ts';
import { buildRandomRoom, randomRoomSpec } from './random-room.ts';

const sorted = (state: readonly StateTuple[]): string[] => state.map((t) => JSON.stringify(t)).sort();

function resolveOk(roomVersion: string, sets: StateTuple[][], events: Record<string, object>): string[] {
  const result = tryResolveState(roomVersion, sets, events);
  if (!result.ok) throw new Error(result.reason);
  return sorted(result.state);
}

const RUNS = { numRuns: 150 };

describe('state resolution properties', () => {
  it('is deterministic and independent of the order of state sets and of their entries', () => {
    fc.assert(
      fc.property(randomRoomSpec, fc.infiniteStream(fc.nat()), (spec, randomness) => {
        const room = buildRandomRoom(spec);
        const expected = resolveOk(room.roomVersion, room.stateSets, room.events);
        expect(resolveOk(room.roomVersion, room.stateSets, room.events)).toEqual(expected);
        const next = (() => {
          const it = randomness[Symbol.iterator]();
          return () => it.next().value as number;
        })();
        const shuffle = <T>(items: T[]): T[] => {
          const copy = [...items];
          for (let i = copy.length - 1; i > 0; i--) {
            const j = next() % (i + 1);
            [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
          }
          return copy;
        };
        const permuted = shuffle(room.stateSets.map((set) => shuffle(set)));
        expect(resolveOk(room.roomVersion, permuted, room.events)).toEqual(expected);
      }),
      RUNS,
    );
  });

  it('returns a single state set unchanged, and so for copies of one set', () => {
    fc.assert(
      fc.property(randomRoomSpec, fc.integer({ min: 1, max: 3 }), (spec, copies) => {
        const room = buildRandomRoom(spec);
        for (const set of room.stateSets) {
          expect(resolveOk(room.roomVersion, Array.from({ length: copies }, () => set), room.events)).toEqual(sorted(set));
        }
      }),
      RUNS,
    );
  });

  it('keeps the events every state set agrees on, and holds one event per key', () => {
    fc.assert(
      fc.property(randomRoomSpec, (spec) => {
        const room = buildRandomRoom(spec);
        const result = tryResolveState(room.roomVersion, room.stateSets, room.events);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const ids = new Set(result.state.map(([, , id]) => id));
        const [first, ...others] = room.stateSets;
        for (const tuple of first ?? []) {
          if (others.every((set) => set.some(([, , id]) => id === tuple[2]))) expect(ids.has(tuple[2])).toBe(true);
        }
        const keys = result.state.map(([type, key]) => JSON.stringify([type, key]));
        expect(new Set(keys).size).toBe(keys.length);
        for (const [type, key, id] of result.state) {
          const event = room.events[id] as { type: string; state_key: string };
          expect([event.type, event.state_key]).toEqual([type, key]);
        }
      }),
      RUNS,
    );
  });
});
