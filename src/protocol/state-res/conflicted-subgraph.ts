// Room version 12's conflicted state subgraph (rooms/v12 "Conflicted state subgraph"): the
// union of all auth_events paths between two events of the conflicted state set,
// endpoints included. An event lies on such a path exactly when it is reachable from a
// conflicted event and a conflicted event is reachable from it, so two linear walks find
// it: down the auth chains of the conflicted set, then back up from the conflicted events.
import { authChainUnion } from './auth-chain.ts';
import type { EventIndex } from './event-index.ts';

export function conflictedStateSubgraph(index: EventIndex, conflicted: ReadonlySet<string>): Set<string> {
  const below = authChainUnion(index, conflicted);
  // Reverse edges inside `below`: which events (in `below` or conflicted) cite each one.
  const citedBy = new Map<string, string[]>();
  const addEdges = (id: string): void => {
    for (const authId of index.get(id).authIds) {
      if (!below.has(authId)) continue;
      const list = citedBy.get(authId);
      if (list === undefined) citedBy.set(authId, [id]);
      else list.push(id);
    }
  };
  for (const id of below) addEdges(id);
  for (const id of conflicted) if (!below.has(id)) addEdges(id);

  // Walk up from every conflicted event.
  const subgraph = new Set<string>(conflicted);
  const stack = [...conflicted];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    for (const citer of citedBy.get(id) ?? []) {
      if (subgraph.has(citer)) continue;
      subgraph.add(citer);
      stack.push(citer);
    }
  }
  // Everything reached reaches a conflicted event and (edges only come from `below` and the
  // conflicted set) is itself conflicted or below one: it lies on a path.
  return subgraph;
}
