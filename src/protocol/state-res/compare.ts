// The tie-breaks both orderings share: origin_server_ts, then event_id.
import { compareCodePoints } from '../canonical-json.ts';
import type { ResEvent } from './event-index.ts';

/** Negative when x sorts first by (origin_server_ts, event_id). Event IDs compare by code
 * point, so the order does not depend on the platform's string representation. */
export function compareTsThenId(x: ResEvent, y: ResEvent): number {
  if (x.originServerTs !== y.originServerTs) return x.originServerTs < y.originServerTs ? -1 : 1;
  return compareCodePoints(x.id, y.id);
}
