// Validating the state sets and splitting them into unconflicted state and conflicts.
import type { EventIndex } from './event-index.ts';
import { stateKeyOf } from './state-key.ts';
import { StateResInputError } from './types.ts';

/** A state map: stateKeyOf(type, state_key) → event ID. */
export type StateMap = Map<string, string>;

export interface SplitState {
  unconflicted: StateMap;
  /** Event IDs of the conflicted state set. */
  conflicted: Set<string>;
}

/** Parses one state set, checking each entry names an event of that type and state key. */
function parseStateSet(raw: unknown, index: EventIndex, position: number): StateMap {
  if (!Array.isArray(raw)) throw new StateResInputError(`state set ${position} is not an array`);
  const map: StateMap = new Map();
  for (const entry of raw as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3) {
      throw new StateResInputError(`state set ${position}: entry is not a [type, state_key, event_id] triple`);
    }
    const [type, stateKey, eventId] = entry as unknown[];
    if (typeof type !== 'string' || typeof stateKey !== 'string' || typeof eventId !== 'string') {
      throw new StateResInputError(`state set ${position}: entry has a non-string member`);
    }
    const event = index.get(eventId);
    if (event.type !== type || event.stateKey !== stateKey) {
      throw new StateResInputError(`state set ${position}: ${eventId} is not the (${type}, ${stateKey}) state event`);
    }
    const key = stateKeyOf(type, stateKey);
    const existing = map.get(key);
    if (existing !== undefined && existing !== eventId) {
      throw new StateResInputError(`state set ${position}: two events for (${type}, ${stateKey})`);
    }
    map.set(key, eventId);
  }
  return map;
}

/** Parses the state sets; all their events must belong to one room (a v12 create event,
 * which has no room_id, excepted). */
export function parseStateSets(raw: unknown, index: EventIndex): StateMap[] {
  if (!Array.isArray(raw)) throw new StateResInputError('stateSets is not an array');
  const sets = (raw as unknown[]).map((set, i) => parseStateSet(set, index, i));
  let roomId: string | undefined;
  for (const set of sets) {
    for (const id of set.values()) {
      const eventRoom = index.get(id).roomId;
      if (eventRoom === undefined) continue;
      if (roomId === undefined) roomId = eventRoom;
      else if (eventRoom !== roomId) throw new StateResInputError(`event ${id} is from another room`);
    }
  }
  return sets;
}

interface KeyValues {
  first: string;
  /** How many state sets have this key. */
  count: number;
  /** All distinct event IDs, once there is more than one. */
  distinct: Set<string> | undefined;
}

function collectValues(sets: readonly StateMap[]): Map<string, KeyValues> {
  const values = new Map<string, KeyValues>();
  for (const set of sets) {
    for (const [key, id] of set) {
      const entry = values.get(key);
      if (entry === undefined) {
        values.set(key, { first: id, count: 1, distinct: undefined });
        continue;
      }
      entry.count++;
      if (id !== entry.first) (entry.distinct ??= new Set([entry.first])).add(id);
    }
  }
  return values;
}

/** v2: a key is unconflicted only if every set has it with the same event; a key missing
 * from some set is a conflict (rooms/v2 "Unconflicted state map and conflicted state set"). */
export function splitStateV2(sets: readonly StateMap[]): SplitState {
  const unconflicted: StateMap = new Map();
  const conflicted = new Set<string>();
  for (const [key, entry] of collectValues(sets)) {
    if (entry.distinct === undefined && entry.count === sets.length) unconflicted.set(key, entry.first);
    else if (entry.distinct === undefined) conflicted.add(entry.first);
    else for (const id of entry.distinct) conflicted.add(id);
  }
  return { unconflicted, conflicted };
}

/** v1: a conflict is only "different event_ids for the same (event_type, state_key)"; a key
 * present in some sets with a single event is not conflicting (rooms/v1 "State resolution"). */
export function splitStateV1(sets: readonly StateMap[]): { unconflicted: StateMap; conflicts: Map<string, string[]> } {
  const unconflicted: StateMap = new Map();
  const conflicts = new Map<string, string[]>();
  for (const [key, entry] of collectValues(sets)) {
    if (entry.distinct === undefined) unconflicted.set(key, entry.first);
    else conflicts.set(key, [...entry.distinct]);
  }
  return { unconflicted, conflicts };
}
