// Which thread an event belongs to, for per-thread notification counts (spec "Threaded read
// receipts", push module "Marking notifications as read"): an m.thread relation names the
// root; otherwise the event's relations are followed, at most 3 hops, until one is in a
// thread; anything else — thread roots included — is the main timeline.
import type { Pdu } from '../../protocol/types.ts';
import { eventRelations } from '../../storage/push/event-context.ts';
import { MAIN_THREAD } from '../../storage/push/read-marks.ts';
import type { TenantContext } from '../../tenancy/context.ts';

const THREAD_REL = 'm.thread';
const MAX_HOPS = 3;

function relationOf(pdu: Pdu): { relType: string; eventId: string } | undefined {
  const content = pdu.content as Record<string, unknown> | undefined;
  const relatesTo = content?.['m.relates_to'];
  if (typeof relatesTo !== 'object' || relatesTo === null || Array.isArray(relatesTo)) return undefined;
  const { rel_type: relType, event_id: eventId } = relatesTo as Record<string, unknown>;
  return typeof relType === 'string' && typeof eventId === 'string' ? { relType, eventId } : undefined;
}

/** 'main' or the thread root's event ID. */
export async function threadOfEvent(tenant: TenantContext, pdu: Pdu): Promise<string> {
  const relation = relationOf(pdu);
  if (!relation) return MAIN_THREAD;
  if (relation.relType === THREAD_REL) return relation.eventId;
  let parent: string | null = relation.eventId;
  for (let hop = 0; hop < MAX_HOPS && parent !== null; hop++) {
    const found = (await eventRelations(tenant.db, [parent])).get(parent);
    if (!found || found.relatesTo === null || found.relType === null) return MAIN_THREAD;
    if (found.relType === THREAD_REL) return found.relatesTo;
    parent = found.relatesTo;
  }
  return MAIN_THREAD;
}
