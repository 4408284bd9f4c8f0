// Helpers for state resolution scenarios on top of the room builder: state sets as tuples,
// resolution at a merge point, and a check that every scenario event was authorised on
// its own branch (so a scenario tests resolution, not a mistake in its construction).
import { expect } from 'vitest';
import { authEventTypes, checkAuth } from '../../../src/protocol/auth/index.ts';
import { tryResolveState, type ResolveOptions, type StateTuple } from '../../../src/protocol/state-res/index.ts';
import { stateKey, type RoomBuilder, type RoomEvent } from '../../helpers/room-builder.ts';

export const ALICE = '@alice:example.org';
export const BOB = '@bob:example.org';
export const CHARLIE = '@charlie:example.org';
export const ZARA = '@zara:example.org';
export const EVELYN = '@evelyn:example.org';

export function eventsOf(room: RoomBuilder): Record<string, RoomEvent> {
  return Object.fromEntries(room.events.map((e) => [e.event_id, e]));
}

export function toTuples(state: readonly RoomEvent[]): StateTuple[] {
  return state.map((e) => [e.type, e.state_key ?? '', e.event_id]);
}

/** The state after each head, as resolver input. */
export function stateSetsAt(room: RoomBuilder, heads: readonly string[]): StateTuple[][] {
  return heads.map((head) => toTuples(room.stateAfter(head)));
}

/** Resolves the states after `heads`; fails the test on an error result. */
export function resolveAt(room: RoomBuilder, heads: readonly string[], options?: ResolveOptions): Map<string, string> {
  const result = tryResolveState(room.roomVersion, stateSetsAt(room, heads), eventsOf(room), options);
  if (!result.ok) throw new Error(`resolution failed: ${result.reason}`);
  return new Map(result.state.map(([type, key, id]) => [stateKey(type, key), id]));
}

/** Sends an event whose prev_events are `heads`, on the resolved state of those heads. */
export function sendMerge(room: RoomBuilder, heads: readonly string[], spec: Parameters<RoomBuilder['send']>[0]): RoomEvent {
  const resolved = resolveAt(room, heads);
  const stateBefore = [...resolved.values()].map((id) => room.get(id));
  return room.send({ ...spec, prevEvents: [...heads], stateBefore });
}

/** Every event after the create event passes the auth rules against the state before it. */
export function expectAllAuthorised(room: RoomBuilder): void {
  for (const event of room.events.slice(1)) {
    const before = new Map(room.stateFor(event).map((e) => [stateKey(e.type, e.state_key ?? ''), e]));
    const authState = [room.create, ...authEventTypes(event, room.roomVersion).flatMap(([t, k]) => before.get(stateKey(t, k)) ?? [])];
    const result = checkAuth(event, [...new Set(authState)], room.roomVersion);
    expect(result, `${event.event_id} should be authorised on its branch`).toEqual({ allowed: true });
  }
}

export function get(state: Map<string, string>, type: string, key = ''): string | undefined {
  return state.get(stateKey(type, key));
}
