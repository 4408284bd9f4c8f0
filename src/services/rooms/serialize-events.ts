// Stored events → client events in one batch: the room versions, the redaction events, the
// replaced state events and the bundled aggregations (threads, edits) all events need are
// loaded with one query each.
import { getEvents, relationSummaries, type StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { toClientEvent, type ClientEvent, type Viewer } from './client-event.ts';
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
  // newest edit (m.replace, only by the original sender) of each event.
  const parentIds = all.filter((e) => e.redactedBy === null).map((e) => e.eventId);
  const [threads, edits] = await Promise.all([relationSummaries(tenant.db, parentIds, 'm.thread'), relationSummaries(tenant.db, parentIds, 'm.replace')]);
  for (const summary of threads.values()) relatedIds.add(summary.latestId);
  for (const summary of edits.values()) relatedIds.add(summary.latestId);
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
          current_user_participated: options.viewer !== undefined && (thread.senders.has(options.viewer.userId) || event.pdu.sender === options.viewer.userId),
        };
      }
      const edit = edits.get(event.eventId);
      const newestEdit = edit ? related.get(edit.latestId) : undefined;
      if (newestEdit && newestEdit.pdu.sender === event.pdu.sender) relations['m.replace'] = toClientEvent(newestEdit, ctx);
      if (Object.keys(relations).length > 0) client.unsigned = { ...(client.unsigned as Record<string, unknown>), 'm.relations': relations };
      return [client];
    }),
  );
}

export async function serializeEvents(tenant: TenantContext, events: readonly StoredEvent[], options: SerializeOptions = {}): Promise<ClientEvent[]> {
  return (await serializeEventLists(tenant, [events], options))[0] ?? [];
}
