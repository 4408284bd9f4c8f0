// State resolution for room version 1 (rooms/v1 "State resolution"). Conflicts over the
// auth-relevant types are settled in passes, each event checked against the state built
// so far; any other conflict takes the deepest event that passes auth.
import { createHash } from 'node:crypto';
import { isAllowed } from './auth-adapter.ts';
import type { ResolveContext } from './context.ts';
import type { ResEvent } from './event-index.ts';
import { LayeredState, mergeStates } from './keyed-state.ts';
import { stateLookup } from './lookups.ts';
import { splitStateSets } from './state-sets.ts';
import { StateResInputError, type StateTuple } from './types.ts';

const AUTH_PASSES = ['m.room.power_levels', 'm.room.join_rules', 'm.room.member'];

interface Candidate {
  event: ResEvent;
  depth: number;
  sha1: string;
}

function candidate(event: ResEvent): Candidate {
  if (!Number.isInteger(event.depth)) throw new StateResInputError(`event ${event.id}: depth is not an integer`);
  return { event, depth: event.depth, sha1: createHash('sha1').update(event.id, 'utf8').digest('hex') };
}

/** Ascending depth, then descending sha1(event_id). */
function byDepthThenSha1Desc(a: Candidate, b: Candidate): number {
  if (a.depth !== b.depth) return a.depth - b.depth;
  return a.sha1 < b.sha1 ? 1 : a.sha1 > b.sha1 ? -1 : 0;
}

interface Conflict {
  type: string;
  stateKey: string;
  candidates: Candidate[];
}

/** Orders conflicts by state key (the spec leaves the order within a pass open; any fixed
 * order makes the result deterministic). */
function byStateKey(a: Conflict, b: Conflict): number {
  return a.stateKey < b.stateKey ? -1 : a.stateKey > b.stateKey ? 1 : 0;
}

export function resolveV1(ctx: ResolveContext, sets: readonly string[][]): StateTuple[] {
  const { index } = ctx;
  const split = splitStateSets(sets, index);
  // v1: "a conflict occurs between states where those states have different event_ids for
  // the same (event_type, state_key)"; a key some sets lack is not conflicting.
  const groups = new Map<string, Map<string, ResEvent[]>>();
  for (const id of split.conflicted) {
    const event = index.get(id);
    let byKey = groups.get(event.type);
    if (byKey === undefined) groups.set(event.type, (byKey = new Map()));
    const group = byKey.get(event.stateKey as string);
    if (group === undefined) byKey.set(event.stateKey as string, [event]);
    else group.push(event);
  }
  const unconflicted = split.unconflicted.clone();
  const conflicts: Conflict[] = [];
  for (const [type, byKey] of groups) {
    for (const [stateKey, events] of byKey) {
      if (events.length === 1) unconflicted.set(type, stateKey, (events[0] as ResEvent).id);
      else conflicts.push({ type, stateKey, candidates: events.map(candidate) });
    }
  }
  const state = new LayeredState(unconflicted);
  if (conflicts.length === 0) return mergeStates(unconflicted, state.changes);

  for (const type of AUTH_PASSES) {
    for (const { stateKey, candidates } of conflicts.filter((c) => c.type === type).sort(byStateKey)) {
      const [first, ...others] = candidates.sort(byDepthThenSha1Desc);
      if (first === undefined) continue;
      state.set(type, stateKey, first.event.id);
      for (const { event } of others) {
        if (!isAllowed(ctx, event, stateLookup(ctx, state))) break;
        state.set(type, stateKey, event.id);
      }
    }
  }

  const others = conflicts.filter((c) => !AUTH_PASSES.includes(c.type));
  others.sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : byStateKey(a, b)));
  for (const { type, stateKey, candidates } of others) {
    // Highest depth, then lowest sha1: the reverse of the auth passes' order.
    const winner = candidates.sort((a, b) => byDepthThenSha1Desc(b, a)).find(({ event }) => isAllowed(ctx, event, stateLookup(ctx, state)));
    if (winner !== undefined) state.set(type, stateKey, winner.event.id);
  }
  return mergeStates(unconflicted, state.changes);
}
