// Validating the state sets and splitting them by how many sets hold each event. A key has
// the same event in every set exactly when that event is in every set (each set holds one
// event per key), so the split counts event IDs and builds no (type, state_key) keys for
// the bulk of the state.
import type { EventIndex } from './event-index.ts';
import { KeyedState } from './keyed-state.ts';
import { StateResInputError } from './types.ts';

/** Packed occurrence counts (see splitStateSets) allow this many state sets. */
const MAX_STATE_SETS = 65_535;

/** Parses the state sets into lists of distinct event IDs, checking that each entry names
 * a supplied event of that type and state key, and that all are from one room (a v12
 * create event has no room_id and is exempt). */
export function parseStateSets(raw: unknown, index: EventIndex): string[][] {
  if (!Array.isArray(raw)) throw new StateResInputError('stateSets is not an array');
  if (raw.length > MAX_STATE_SETS) throw new StateResInputError(`more than ${MAX_STATE_SETS} state sets`);
  let roomId: string | undefined;
  return (raw as unknown[]).map((set, position) => {
    if (!Array.isArray(set)) throw new StateResInputError(`state set ${position} is not an array`);
    const ids: string[] = [];
    for (const entry of set as unknown[]) {
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
      if (event.roomId !== undefined) {
        if (roomId === undefined) roomId = event.roomId;
        else if (event.roomId !== roomId) throw new StateResInputError(`event ${eventId} is from another room`);
      }
      ids.push(eventId);
    }
    return ids;
  });
}

export interface SplitState {
  /** Events in every state set, keyed: the v2 unconflicted state map. */
  unconflicted: KeyedState;
  /** Events in some but not all state sets: the v2 conflicted state set. */
  conflicted: Set<string>;
  /** For each state set, its events that are in the conflicted set. */
  conflictedBySet: string[][];
}

/** Splits the sets, rejecting a set that holds two events for one key. */
export function splitStateSets(sets: readonly string[][], index: EventIndex): SplitState {
  // count × 2^16 + (index of the last set seen + 1): one map counts each event once per set.
  const occurrences = new Map<string, number>();
  sets.forEach((set, i) => {
    for (const id of set) {
      const packed = occurrences.get(id);
      if (packed === undefined) occurrences.set(id, 65_536 + i + 1);
      else if (packed % 65_536 !== i + 1) occurrences.set(id, (Math.floor(packed / 65_536) + 1) * 65_536 + i + 1);
    }
  });

  const unconflicted = new KeyedState();
  const conflicted = new Set<string>();
  for (const [id, packed] of occurrences) {
    if (Math.floor(packed / 65_536) < sets.length) {
      conflicted.add(id);
      continue;
    }
    const event = index.get(id);
    if (unconflicted.set(event.type, event.stateKey as string, id) !== undefined) {
      throw new StateResInputError(`state sets hold two events for (${event.type}, ${event.stateKey})`);
    }
  }

  const conflictedBySet = sets.map((set) => {
    const own = set.filter((id) => conflicted.has(id));
    // A conflicted event sharing its key with an unconflicted one, or with another
    // conflicted event of the same set, means the set holds two events for one key.
    const keys = new KeyedState();
    for (const id of own) {
      const event = index.get(id);
      const stateKey = event.stateKey as string;
      if (unconflicted.get(event.type, stateKey) !== undefined || keys.set(event.type, stateKey, id) !== undefined) {
        throw new StateResInputError(`a state set holds two events for (${event.type}, ${stateKey})`);
      }
    }
    return own;
  });
  return { unconflicted, conflicted, conflictedBySet };
}
