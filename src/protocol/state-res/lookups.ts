// The state an event is authorised against during resolution, as lookups by (type,
// state_key): the state being resolved, falling back to the event's own auth events.
import type { AuthLookup, ResolveContext } from './context.ts';
import type { ResEvent } from './event-index.ts';
import type { LayeredState } from './keyed-state.ts';

const CREATE = 'm.room.create';

/** v12: the create event is never cited; the room ID is its event ID with `!` for `$`. */
function createFromRoomId(ctx: ResolveContext, event: ResEvent): ResEvent | undefined {
  if (!ctx.version.roomIdFromCreateEvent || event.roomId === undefined || !event.roomId.startsWith('!')) return undefined;
  const createId = `$${event.roomId.slice(1)}`;
  if (!ctx.index.has(createId)) return undefined;
  const create = ctx.index.get(createId);
  return create.type === CREATE && create.stateKey === '' ? create : undefined;
}

function fromAuthEvents(ctx: ResolveContext, event: ResEvent, type: string, stateKey: string, skipRejected: boolean): ResEvent | undefined {
  for (const authId of event.authIds) {
    if (skipRejected && ctx.rejected.has(authId)) continue;
    const authEvent = ctx.index.get(authId);
    if (authEvent.type === type && authEvent.stateKey === stateKey) return authEvent;
  }
  if (type === CREATE && stateKey === '') return createFromRoomId(ctx, event);
  return undefined;
}

/** The event's own auth events (how the power ordering judges a sender's power). */
export function authEventsLookup(ctx: ResolveContext, event: ResEvent): AuthLookup {
  return (type, stateKey) => fromAuthEvents(ctx, event, type, stateKey, false);
}

/** The state being resolved; for a key it lacks, the event's auth event for that key
 * unless that was rejected (rooms/v2 "Iterative auth checks"). */
export function iterativeLookup(ctx: ResolveContext, event: ResEvent, state: LayeredState): AuthLookup {
  return (type, stateKey) => {
    const id = state.get(type, stateKey);
    if (id !== undefined) return ctx.index.get(id);
    return fromAuthEvents(ctx, event, type, stateKey, true);
  };
}

/** Exactly the state being resolved (room version 1 checks "a room in state R"). */
export function stateLookup(ctx: ResolveContext, state: LayeredState): AuthLookup {
  return (type, stateKey) => {
    const id = state.get(type, stateKey);
    return id === undefined ? undefined : ctx.index.get(id);
  };
}
