// State resolution v2 (rooms/v2 "Algorithm"), and room version 12's variant (rooms/v12):
// the conflicted state subgraph joins the full conflicted set, and the iterative auth
// checks of step 2 start from an empty state map instead of the unconflicted state.
import { senderPowerLevel } from './auth-adapter.ts';
import { authChainUnion, authDifference } from './auth-chain.ts';
import { conflictedStateSubgraph } from './conflicted-subgraph.ts';
import type { ResolveContext } from './context.ts';
import type { ResEvent } from './event-index.ts';
import { iterativeAuthChecks } from './iterative-auth.ts';
import { LayeredState, mergeStates } from './keyed-state.ts';
import { mainlineOrdering } from './mainline.ts';
import { reverseTopologicalPowerOrdering } from './power-ordering.ts';
import { splitStateSets } from './state-sets.ts';
import type { StateTuple } from './types.ts';

/** Events that might take away someone's ability to act (rooms/v2 "Power events"). */
function isPowerEvent(event: ResEvent): boolean {
  if (event.stateKey === undefined) return false;
  if (event.type === 'm.room.power_levels' || event.type === 'm.room.join_rules') return true;
  if (event.type !== 'm.room.member') return false;
  const membership = event.content.membership;
  return (membership === 'leave' || membership === 'ban') && event.sender !== event.stateKey;
}

export function resolveV2(ctx: ResolveContext, sets: readonly string[][]): StateTuple[] {
  const { index } = ctx;
  const split = splitStateSets(sets, index);
  const { unconflicted, conflicted } = split;
  // No conflicts means identical sets, hence identical auth chains: nothing to resolve.
  if (conflicted.size === 0) return mergeStates(unconflicted, unconflicted);

  const fullConflicted = authDifference(index, split);
  for (const id of conflicted) fullConflicted.add(id);
  if (ctx.version.stateRes === 'v2.1') {
    for (const id of conflictedStateSubgraph(index, conflicted)) fullConflicted.add(id);
  }

  // Step 1: power events, plus the parts of their auth chains in the full conflicted set.
  const powerEvents = [...fullConflicted].filter((id) => isPowerEvent(index.get(id)));
  const selected = new Set(powerEvents);
  for (const id of authChainUnion(index, powerEvents)) if (fullConflicted.has(id)) selected.add(id);
  const powerOrdered = reverseTopologicalPowerOrdering(index, selected, (event) => senderPowerLevel(ctx, event));

  // Step 2.
  const state = new LayeredState(ctx.version.stateRes === 'v2.1' ? undefined : unconflicted);
  iterativeAuthChecks(ctx, state, powerOrdered);

  // Steps 3 and 4: the rest, in mainline order of the power levels resolved so far.
  const rest: ResEvent[] = [];
  for (const id of fullConflicted) if (!selected.has(id)) rest.push(index.get(id));
  const powerLevelsId = state.get('m.room.power_levels', '');
  const powerLevels = powerLevelsId === undefined ? undefined : index.get(powerLevelsId);
  iterativeAuthChecks(ctx, state, mainlineOrdering(index, rest, powerLevels));

  // Step 5.
  return mergeStates(unconflicted, state.changes);
}
