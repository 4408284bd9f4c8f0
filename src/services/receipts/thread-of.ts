// Threaded receipts (spec "Threaded read receipts"): thread_id is "main" or the event ID of
// a thread root, and the receipted event must belong to that thread: the root itself, or an
// event reaching the root through an m.thread relation within 3 hops of relations (edits and
// other relations of thread events). "main" is accepted for any event.
import { MatrixError } from '../../errors/matrix-error.ts';
import { isJsonObject } from '../../protocol/json-object.ts';
import { parseEventId } from '../../protocol/ids.ts';
import { MAIN_THREAD } from '../../storage/push/read-marks.ts';
import { getEvent, type StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';

const MAX_HOPS = 3;

/** The thread_id of a receipt request: undefined (unthreaded), "main" or an event ID. */
export function threadIdOf(body: Record<string, unknown>): string | undefined {
  if (!Object.hasOwn(body, 'thread_id')) return undefined;
  const threadId = body.thread_id;
  if (typeof threadId !== 'string' || threadId.length === 0) throw new MatrixError('M_INVALID_PARAM', 'thread_id must be a non-empty string');
  if (threadId !== MAIN_THREAD && (!parseEventId(threadId) || Buffer.byteLength(threadId) > 255)) {
    throw new MatrixError('M_INVALID_PARAM', 'thread_id must be "main" or the event ID of a thread root');
  }
  return threadId;
}

function relationOf(event: StoredEvent): { relType: unknown; eventId: unknown } | undefined {
  const relatesTo = (event.pdu.content as Record<string, unknown> | undefined)?.['m.relates_to'];
  return isJsonObject(relatesTo) ? { relType: relatesTo.rel_type, eventId: relatesTo.event_id } : undefined;
}

/** 400 M_INVALID_PARAM unless the event belongs to the thread. */
export async function requireEventInThread(tenant: TenantContext, event: StoredEvent, threadId: string): Promise<void> {
  if (threadId === MAIN_THREAD || event.eventId === threadId) return;
  let current: StoredEvent | undefined = event;
  for (let hop = 0; hop < MAX_HOPS && current; hop++) {
    const relation = relationOf(current);
    if (!relation || typeof relation.eventId !== 'string') break;
    if (relation.relType === 'm.thread') {
      if (relation.eventId === threadId) return;
      break;
    }
    const parent: StoredEvent | undefined = await getEvent(tenant.db, relation.eventId);
    current = parent?.roomId === event.roomId ? parent : undefined;
  }
  throw new MatrixError('M_INVALID_PARAM', `${event.eventId} is not in thread ${threadId}`);
}
