// Stored events → client events in one batch: the room versions, the redaction events and
// the replaced state events all events need are loaded with one query each.
import { getEvents, type StoredEvent } from '../../storage/rooms/events.ts';
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
  const related = await getEvents(tenant.db, [...relatedIds]);
  const now = options.now ?? Date.now();
  return lists.map((list) =>
    list.flatMap((event) => {
      const roomVersion = versions.get(event.roomId);
      if (!roomVersion) return [];
      return [toClientEvent(event, { roomVersion, now, viewer: options.viewer, omitRoomId: options.omitRoomId, redactions: related, replaced: related })];
    }),
  );
}

export async function serializeEvents(tenant: TenantContext, events: readonly StoredEvent[], options: SerializeOptions = {}): Promise<ClientEvent[]> {
  return (await serializeEventLists(tenant, [events], options))[0] ?? [];
}
