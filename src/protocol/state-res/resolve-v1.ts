// State resolution for room version 1 (rooms/v1 "State resolution"). Conflicts over the
// auth-relevant types are settled in passes, each event checked against the state built
// so far; any other conflict takes the deepest event that passes auth.
import { createHash } from 'node:crypto';
import { isAllowed } from './auth-adapter.ts';
import type { ResolveContext } from './context.ts';
import type { ResEvent } from './event-index.ts';
import { stateLookup } from './lookups.ts';
import { splitStateV1, type StateMap } from './state-sets.ts';
import { StateResInputError } from './types.ts';

const AUTH_PASSES = ['m.room.power_levels', 'm.room.join_rules', 'm.room.member'];

interface Candidate {
  event: ResEvent;
  depth: number;
  sha1: string;
}

function candidates(ctx: ResolveContext, ids: readonly string[]): Candidate[] {
  return ids.map((id) => {
    const event = ctx.index.get(id);
    if (!Number.isInteger(event.depth)) throw new StateResInputError(`event ${id}: depth is not an integer`);
    return { event, depth: event.depth, sha1: createHash('sha1').update(id, 'utf8').digest('hex') };
  });
}

/** Ascending depth, then descending sha1(event_id). */
function byDepthThenSha1Desc(a: Candidate, b: Candidate): number {
  if (a.depth !== b.depth) return a.depth - b.depth;
  return a.sha1 < b.sha1 ? 1 : a.sha1 > b.sha1 ? -1 : 0;
}

/** Deterministic order of keys within a pass (the spec leaves it open); keys of one type
 * differ only in state key, and keys are compared as plain strings. */
function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function resolveV1(ctx: ResolveContext, sets: readonly StateMap[]): StateMap {
  const { unconflicted, conflicts } = splitStateV1(sets);
  const state: StateMap = new Map(unconflicted);
  if (conflicts.size === 0) return state;

  const typeOf = (key: string): string => ctx.index.get((conflicts.get(key) as string[])[0] as string).type;
  const keysOf = (accept: (type: string) => boolean): string[] => sortedKeys([...conflicts.keys()].filter((key) => accept(typeOf(key))));

  for (const type of AUTH_PASSES) {
    for (const key of keysOf((t) => t === type)) {
      const [first, ...others] = candidates(ctx, conflicts.get(key) as string[]).sort(byDepthThenSha1Desc);
      if (first === undefined) continue;
      state.set(key, first.event.id);
      for (const { event } of others) {
        if (!isAllowed(ctx, event, stateLookup(ctx, state))) break;
        state.set(key, event.id);
      }
    }
  }

  for (const key of keysOf((t) => !AUTH_PASSES.includes(t))) {
    // Highest depth, then lowest sha1: the reverse of the auth passes' order.
    const ordered = candidates(ctx, conflicts.get(key) as string[]).sort((a, b) => byDepthThenSha1Desc(b, a));
    const winner = ordered.find(({ event }) => isAllowed(ctx, event, stateLookup(ctx, state)));
    if (winner !== undefined) state.set(key, winner.event.id);
  }
  return state;
}
