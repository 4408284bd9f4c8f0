// Reverse topological power ordering (rooms/v2 "Reverse topological power ordering"):
// Kahn's algorithm over the auth DAG, taking the smallest ready event each step, where
// smaller means a sender with more power, then an earlier origin_server_ts, then a
// smaller event_id.
//
// The ordering must respect auth_events reachability, not only direct links between the
// selected events: a selected event can reach another through events outside the
// selection. So Kahn runs over the selection and all its ancestors; an ancestor outside
// the selection is consumed as soon as it is ready and never emitted.
import { authChainUnion } from './auth-chain.ts';
import { compareTsThenId } from './compare.ts';
import type { EventIndex, ResEvent } from './event-index.ts';
import { MinHeap } from './heap.ts';
import { StateResInputError } from './types.ts';

export function reverseTopologicalPowerOrdering(
  index: EventIndex,
  selected: ReadonlySet<string>,
  senderPower: (event: ResEvent) => number,
): ResEvent[] {
  const nodes = authChainUnion(index, selected);
  for (const id of selected) nodes.add(id);

  const waitingOn = new Map<string, number>();
  const citedBy = new Map<string, string[]>();
  for (const id of nodes) {
    const authIds = index.get(id).authIds;
    waitingOn.set(id, authIds.length);
    for (const authId of authIds) {
      const list = citedBy.get(authId);
      if (list === undefined) citedBy.set(authId, [id]);
      else list.push(id);
    }
  }

  const power = new Map<string, number>();
  const powerOf = (event: ResEvent): number => {
    let p = power.get(event.id);
    if (p === undefined) {
      p = senderPower(event);
      if (Number.isNaN(p)) p = Number.NEGATIVE_INFINITY;
      power.set(event.id, p);
    }
    return p;
  };
  const ready = new MinHeap<ResEvent>((x, y) => {
    const px = powerOf(x);
    const py = powerOf(y);
    if (px !== py) return px > py;
    return compareTsThenId(x, y) < 0;
  });
  const unselectedReady: string[] = [];
  const release = (id: string): void => {
    if (selected.has(id)) ready.push(index.get(id));
    else unselectedReady.push(id);
  };
  for (const [id, count] of waitingOn) if (count === 0) release(id);

  const done = (id: string): void => {
    for (const citer of citedBy.get(id) ?? []) {
      const left = (waitingOn.get(citer) as number) - 1;
      waitingOn.set(citer, left);
      if (left === 0) release(citer);
    }
  };
  const ordered: ResEvent[] = [];
  for (;;) {
    // Unselected events first: they may unblock a selected event smaller than any ready now.
    while (unselectedReady.length > 0) done(unselectedReady.pop() as string);
    const next = ready.pop();
    if (next === undefined) break;
    ordered.push(next);
    done(next.id);
  }
  if (ordered.length !== selected.size) throw new StateResInputError('auth_events contain a cycle');
  return ordered;
}
