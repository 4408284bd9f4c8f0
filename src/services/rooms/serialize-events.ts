// Stored events → client events in one batch: the room versions, the redaction events, the
// replaced state events and the bundled aggregations (threads, edits) all events need are
// loaded with one query each.
import { getEvents, relationSummaries, type ChildSummary, type StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { toClientEvent, type ClientEvent, type Viewer } from './client-event.ts';
import { recentEventsOf } from './recent-events.ts';
import { roomVersionsOf } from './room-versions.ts';

export interface SerializeOptions {
  viewer?: Viewer;
  omitRoomId?: boolean;
  now?: number;
}

/** Formats several lists at once (sharing the lookups); returns them in the same shape. */
export async function serializeEventLists(tenant: TenantContext, lists: readonly (readonly StoredEvent[])[], options: SerializeOptions = {}): Promise<ClientEvent[][]> {
  const all = lists.flat();
  if (all.length === 0) return lists.map(() => []);
  const versions = await roomVersionsOf(tenant, all.map((e) => e.roomId));
  const relatedIds = new Set<string>();
  for (const event of all) {
    if (event.redactedBy !== null) relatedIds.add(event.redactedBy);
    if (event.replacesState !== null) relatedIds.add(event.replacesState);
  }
  // Bundled aggregations (spec "Aggregations of child events"): thread summaries and the
  // newest edit (m.replace) by the original sender of each event.
  const parentIds = all.filter((e) => e.redactedBy === null).map((e) => e.eventId);
  const relTypes = ['m.thread', 'm.replace'];
  const summaries = recentEventsOf(tenant).relationSummaries(parentIds, relTypes) ?? (await relationSummaries(tenant.db, parentIds, relTypes));
  const threads = summaries.get('m.thread') ?? new Map<string, ChildSummary>();
  const edits = summaries.get('m.replace') ?? new Map<string, ChildSummary>();
  for (const summary of threads.values()) relatedIds.add(summary.latestId);
  const bySender = new Map(all.map((e) => [e.eventId, e.pdu.sender]));
  for (const summary of edits.values()) {
    const own = summary.latestBySender.get(bySender.get(summary.parentId) ?? '');
    if (own !== undefined) relatedIds.add(own);
  }
  const related = await getEvents(tenant.db, [...relatedIds]);
  const now = options.now ?? Date.now();
  return lists.map((list) =>
    list.flatMap((event) => {
      const roomVersion = versions.get(event.roomId);
      if (!roomVersion) return [];
      const ctx = { roomVersion, now, viewer: options.viewer, omitRoomId: options.omitRoomId, redactions: related, replaced: related };
      const client = toClientEvent(event, ctx);
      const relations: Record<string, unknown> = {};
      const thread = threads.get(event.eventId);
      const latest = thread ? related.get(thread.latestId) : undefined;
      if (thread && latest) {
        relations['m.thread'] = {
          latest_event: toClientEvent(latest, ctx),
          count: thread.count,
          current_user_participated: options.viewer !== undefined && (thread.latestBySender.has(options.viewer.userId) || event.pdu.sender === options.viewer.userId),
        };
      }
      const ownEditId = edits.get(event.eventId)?.latestBySender.get(event.pdu.sender);
      const newestEdit = ownEditId === undefined ? undefined : related.get(ownEditId);
      if (newestEdit && newestEdit.pdu.sender === event.pdu.sender) relations['m.replace'] = toClientEvent(newestEdit, ctx);
      if (Object.keys(relations).length > 0) client.unsigned = { ...(client.unsigned as Record<string, unknown>), 'm.relations': relations };
      return [client];
    }),
  );
}

export async function serializeEvents(tenant: TenantContext, events: readonly StoredEvent[], options: SerializeOptions = {}): Promise<ClientEvent[]> {
  return (await serializeEventLists(tenant, [events], options))[0] ?? [];
}
