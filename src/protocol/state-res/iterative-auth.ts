// Iterative auth checks (rooms/v2 "Iterative auth checks"): apply each event in order to
// the state when the authorisation rules allow it against that state.
import { isAllowed } from './auth-adapter.ts';
import type { ResolveContext } from './context.ts';
import type { ResEvent } from './event-index.ts';
import { iterativeLookup } from './lookups.ts';
import type { LayeredState } from './keyed-state.ts';

/** Updates `state` in place. A non-state event (which can only arrive through a malformed
 * auth chain) cannot be applied and is skipped. */
export function iterativeAuthChecks(ctx: ResolveContext, state: LayeredState, events: readonly ResEvent[]): void {
  for (const event of events) {
    if (event.stateKey === undefined) continue;
    if (isAllowed(ctx, event, iterativeLookup(ctx, event, state))) {
      state.set(event.type, event.stateKey, event.id);
    }
  }
}
