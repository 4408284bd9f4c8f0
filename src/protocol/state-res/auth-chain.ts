// Auth chains and the auth difference (rooms/v2 "Auth chain", "Auth difference"). Each
// walk visits an event at most once, so the cost is linear in the events reached.
import type { EventIndex } from './event-index.ts';
import type { SplitState } from './state-sets.ts';

/** The union of the auth chains of `sources`: every event reachable through one or more
 * auth_events links. A source is included only if another source's chain reaches it.
 * Events in `stopAt` are neither included nor walked through: callers pass a set that is
 * closed under auth chains, whose members' ancestors are therefore already accounted for. */
export function authChainUnion(index: EventIndex, sources: Iterable<string>, stopAt?: ReadonlySet<string>): Set<string> {
  const chain = new Set<string>();
  const stack: string[] = [];
  for (const id of sources) stack.push(...index.get(id).authIds);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (chain.has(id) || stopAt?.has(id)) continue;
    chain.add(id);
    for (const authId of index.get(id).authIds) if (!chain.has(authId)) stack.push(authId);
  }
  return chain;
}

/** ∪Cᵢ − ∩Cᵢ where Cᵢ is the full auth chain of state set i. Each Cᵢ is the chain of the
 * unconflicted events (shared by all sets) plus the chain of set i's conflicted events, so
 * the shared part is walked once and each set's walk stops where it joins it. */
export function authDifference(index: EventIndex, split: SplitState): Set<string> {
  const shared = authChainUnion(index, split.unconflicted.ids());
  const setsContaining = new Map<string, number>();
  for (const own of split.conflictedBySet) {
    for (const id of authChainUnion(index, own, shared)) setsContaining.set(id, (setsContaining.get(id) ?? 0) + 1);
  }
  const difference = new Set<string>();
  const setCount = split.conflictedBySet.length;
  for (const [id, count] of setsContaining) if (count < setCount) difference.add(id);
  return difference;
}
