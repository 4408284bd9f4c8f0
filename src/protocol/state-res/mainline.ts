// Mainline ordering (rooms/v2 "Mainline ordering"): events sorted by where their chain of
// power-levels auth events meets the mainline of the resolved power levels event, earlier
// meeting points first, then by origin_server_ts and event_id.
import { compareTsThenId } from './compare.ts';
import type { EventIndex, ResEvent } from './event-index.ts';
import { StateResInputError } from './types.ts';

const POWER_LEVELS = 'm.room.power_levels';

/** The m.room.power_levels event among an event's auth events, if any. (Auth rules reject
 * events citing two, so such events cannot take part; the first one is used regardless.) */
function powerLevelsAuthEvent(index: EventIndex, event: ResEvent): ResEvent | undefined {
  for (const authId of event.authIds) {
    const authEvent = index.get(authId);
    if (authEvent.type === POWER_LEVELS && authEvent.stateKey === '') return authEvent;
  }
  return undefined;
}

/** Mainline index of each power levels event in the mainline of `powerLevels`. */
function mainlineOf(index: EventIndex, powerLevels: ResEvent | undefined): Map<string, number> {
  const mainline = new Map<string, number>();
  for (let p = powerLevels; p !== undefined; p = powerLevelsAuthEvent(index, p)) {
    if (mainline.has(p.id)) throw new StateResInputError('power levels auth_events contain a cycle');
    mainline.set(p.id, mainline.size);
  }
  return mainline;
}

export function mainlineOrdering(index: EventIndex, events: readonly ResEvent[], powerLevels: ResEvent | undefined): ResEvent[] {
  const mainline = mainlineOf(index, powerLevels);
  // Position of the first mainline event on the chain starting at a power levels event
  // (itself included); shared by every event whose chain passes through it.
  const fromPowerLevels = new Map<string, number>(mainline);

  const positionFrom = (start: ResEvent | undefined): number => {
    const walked: ResEvent[] = [];
    let position = Number.POSITIVE_INFINITY;
    for (let p = start; p !== undefined; p = powerLevelsAuthEvent(index, p)) {
      const known = fromPowerLevels.get(p.id);
      if (known !== undefined) {
        if (Number.isNaN(known)) throw new StateResInputError('power levels auth_events contain a cycle');
        position = known;
        break;
      }
      fromPowerLevels.set(p.id, Number.NaN); // "being walked": meeting it again is a cycle
      walked.push(p);
    }
    for (const p of walked) fromPowerLevels.set(p.id, position);
    return position;
  };

  const positions = new Map<string, number>();
  for (const event of events) positions.set(event.id, positionFrom(powerLevelsAuthEvent(index, event)));
  return [...events].sort((x, y) => {
    const px = positions.get(x.id) as number;
    const py = positions.get(y.id) as number;
    // A greater mainline position sorts first; Infinity (no meeting point) before all.
    if (px !== py) return px > py ? -1 : 1;
    return compareTsThenId(x, y);
  });
}
