// State resolution (rooms/v1, rooms/v2, rooms/v12 "State resolution"): the state after
// merging several branches of a room's DAG. The algorithm follows the room version:
// v1 for room version 1, v2 for 2–11, v2.1 (v12's variant) for 12.
//
// Where the spec leaves room, this implementation decides:
// - A missing event (in a state set or anywhere in an auth chain) is an error result, not
//   something to resolve around: resolving on partial data could diverge from other servers.
// - The reverse topological power ordering respects auth_events reachability, also through
//   events outside the selected set (power-ordering.ts).
// - Rejection status is not in the events; callers pass rejectedEventIds, which the
//   iterative auth checks then never use as auth-event fallback (rooms/v2 "Rejected events").
// - v12 events do not cite the create event; the one their room_id names is used for the
//   auth rules and for creators' power (lookups.ts).
// - v1: conflicts of one auth type are settled in state key order (the spec gives none).
import { roomVersion } from '../room-versions.ts';
import type { ResolveContext } from './context.ts';
import { EventIndex } from './event-index.ts';
import { resolveV1 } from './resolve-v1.ts';
import { resolveV2 } from './resolve-v2.ts';
import { parseStateSets } from './state-sets.ts';
import { StateResInputError, type ResolveOptions, type ResolveResult, type StateTuple } from './types.ts';

export type { ResolveOptions, ResolveResult, StateTuple } from './types.ts';

function parseRejected(raw: unknown): Set<string> {
  if (raw === undefined) return new Set();
  if (!Array.isArray(raw) || !raw.every((id) => typeof id === 'string')) {
    throw new StateResInputError('rejectedEventIds is not an array of strings');
  }
  return new Set(raw as string[]);
}

/**
 * Resolves state sets into one state. `events` maps event ID → event and must hold every
 * event of the state sets and of their full auth chains. Never throws: a missing or
 * malformed event, an unknown room version or a cycle in auth_events is `{ ok: false }`.
 * The order of the returned tuples is unspecified.
 */
export function tryResolveState(
  roomVersionId: string,
  stateSets: ReadonlyArray<ReadonlyArray<Readonly<StateTuple>>>,
  events: Readonly<Record<string, object>>,
  options: ResolveOptions = {},
): ResolveResult {
  try {
    const version = typeof roomVersionId === 'string' ? roomVersion(roomVersionId) : undefined;
    if (version === undefined) return { ok: false, reason: `unknown room version ${String(roomVersionId)}` };
    if (typeof events !== 'object' || events === null) return { ok: false, reason: 'events is not an object' };
    const index = new EventIndex(events as Record<string, unknown>);
    const sets = parseStateSets(stateSets, index);
    const ctx: ResolveContext = { index, version, rejected: parseRejected(options?.rejectedEventIds) };
    if (sets.length === 0) return { ok: true, state: [] };
    return { ok: true, state: version.stateRes === 'v1' ? resolveV1(ctx, sets) : resolveV2(ctx, sets) };
  } catch (error) {
    if (error instanceof StateResInputError) return { ok: false, reason: error.message };
    // Anything else is a bug or an exhausted resource (e.g. a pathological input); still
    // never let it escape into the caller's event loop or a worker.
    return { ok: false, reason: `state resolution failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** tryResolveState for callers that treat bad input as exceptional: throws a
 * StateResInputError with the reason. */
export function resolveState(
  roomVersionId: string,
  stateSets: ReadonlyArray<ReadonlyArray<Readonly<StateTuple>>>,
  events: Readonly<Record<string, object>>,
  options: ResolveOptions = {},
): StateTuple[] {
  const result = tryResolveState(roomVersionId, stateSets, events, options);
  if (!result.ok) throw new StateResInputError(result.reason);
  return result.state;
}

export { StateResInputError };
