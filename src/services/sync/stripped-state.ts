// Stripped state (client-server API "Stripped state") for invited and knocking users: the
// room's create, name, avatar, topic, join rules, canonical alias and encryption events,
// plus the user's own membership event, reduced to sender, type, state_key and content.
import { currentStateOfTypes } from '../../storage/rooms/current-state.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { serializeEventLists } from '../rooms/serialize-events.ts';

export const STRIPPED_STATE_TYPES = [
  'm.room.create',
  'm.room.name',
  'm.room.avatar',
  'm.room.topic',
  'm.room.join_rules',
  'm.room.canonical_alias',
  'm.room.encryption',
] as const;

export type StrippedEvent = { type: unknown; state_key: unknown; sender: unknown; content: unknown };

/** Per room, the stripped state; `ownMembership` maps each room to the user's member event. */
export async function strippedStates(tenant: TenantContext, viewer: Viewer, ownMembership: ReadonlyMap<string, string>): Promise<Map<string, StrippedEvent[]>> {
  const roomIds = [...ownMembership.keys()];
  const entries = await currentStateOfTypes(tenant.db, roomIds, STRIPPED_STATE_TYPES);
  const idsByRoom = new Map<string, string[]>(roomIds.map((r) => [r, []]));
  for (const entry of entries) idsByRoom.get(entry.roomId)?.push(entry.eventId);
  for (const [roomId, eventId] of ownMembership) idsByRoom.get(roomId)?.push(eventId);
  const events = await getEvents(tenant.db, [...idsByRoom.values()].flat());
  const lists = roomIds.map((roomId) => (idsByRoom.get(roomId) ?? []).flatMap((id) => events.get(id) ?? []));
  const formatted = await serializeEventLists(tenant, lists, { viewer });
  return new Map(
    roomIds.map((roomId, i) => [roomId, (formatted[i] ?? []).map((e) => ({ type: e.type, state_key: e.state_key, sender: e.sender, content: e.content }))]),
  );
}
