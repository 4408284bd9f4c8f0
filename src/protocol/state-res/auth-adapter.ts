// The one place state resolution talks to the authorisation rules (../auth). It only maps
// the resolver's event records onto the auth API; all rule and power-level logic is there.
import { checkAuthWithLookup, userPowerLevel } from '../auth/index.ts';
import type { Pdu } from '../types.ts';
import type { AuthLookup, ResolveContext } from './context.ts';
import { pduWithId, type ResEvent } from './event-index.ts';
import { authEventsLookup } from './lookups.ts';

/** Whether the rules allow `event` against the state `lookup` describes. */
export function isAllowed(ctx: ResolveContext, event: ResEvent, lookup: AuthLookup): boolean {
  const toPdu = (type: string, stateKey: string): Pdu | undefined => {
    const found = lookup(type, stateKey);
    return found === undefined ? undefined : pduWithId(found);
  };
  return checkAuthWithLookup(pduWithId(event), toPdu, ctx.version.id).allowed;
}

/** The sender's power level "when looking at their auth_events" (the power ordering's
 * first criterion): their own auth events, plus in v12 the create event the room ID names. */
export function senderPowerLevel(ctx: ResolveContext, event: ResEvent): number {
  const lookup = authEventsLookup(ctx, event);
  const authState: Pdu[] = [];
  for (const [type, stateKey] of [
    ['m.room.create', ''],
    ['m.room.power_levels', ''],
  ] as const) {
    const found = lookup(type, stateKey);
    if (found !== undefined) authState.push(pduWithId(found));
  }
  return userPowerLevel(event.sender, authState, ctx.version.id);
}
