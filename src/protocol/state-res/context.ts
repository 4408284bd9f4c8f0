// What every step of one resolution shares: the events, the room version, and which
// events were rejected.
import type { RoomVersion } from '../room-versions.ts';
import type { EventIndex, ResEvent } from './event-index.ts';

/** Finds the state event a (type, state_key) resolves to for an authorisation check. */
export type AuthLookup = (type: string, stateKey: string) => ResEvent | undefined;

export interface ResolveContext {
  index: EventIndex;
  version: RoomVersion;
  rejected: ReadonlySet<string>;
}
