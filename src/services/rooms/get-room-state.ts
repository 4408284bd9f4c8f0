// GET /rooms/{roomId}/state and GET /rooms/{roomId}/state/{eventType}/{stateKey}: current
// state for members, the state at their departure for departed members.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getCurrentState, getCurrentStateEventId } from '../../storage/rooms/current-state.ts';
import { getEvent, getEvents } from '../../storage/rooms/events.ts';
import { loadStateGroups, stateKeyOf, type StateMap } from '../../storage/rooms/state-groups.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { requireReadAccess, type RoomReadAccess } from './room-access.ts';
import { serializeEvents } from './serialize-events.ts';

/** The state a reader sees (see RoomReadAccess.stateGroup). */
export async function readableState(tenant: TenantContext, access: RoomReadAccess): Promise<StateMap> {
  if (access.upTo === undefined) {
    return new Map((await getCurrentState(tenant.db, access.roomId)).map((e) => [stateKeyOf(e.type, e.stateKey), e.eventId]));
  }
  return (await loadStateGroups(tenant.db, [access.stateGroup])).get(access.stateGroup) ?? new Map();
}

export async function getRoomState(tenant: TenantContext, requester: Viewer, roomId: string): Promise<ClientEvent[]> {
  const access = await requireReadAccess(tenant, requester.userId, roomId);
  const state = await readableState(tenant, access);
  const events = await getEvents(tenant.db, [...state.values()]);
  const ordered = [...events.values()].sort((a, b) => a.streamOrdering - b.streamOrdering);
  return serializeEvents(tenant, ordered, { viewer: requester });
}

export async function getStateEvent(
  tenant: TenantContext,
  requester: Viewer,
  roomId: string,
  type: string,
  stateKey: string,
  format: 'content' | 'event',
): Promise<Record<string, unknown>> {
  const access = await requireReadAccess(tenant, requester.userId, roomId);
  let eventId: string | undefined;
  if (access.upTo === undefined) {
    eventId = await getCurrentStateEventId(tenant.db, roomId, type, stateKey);
  } else {
    const state = await loadStateGroups(tenant.db, [access.stateGroup], { types: [], keys: [[type, stateKey]] });
    eventId = state.get(access.stateGroup)?.get(stateKeyOf(type, stateKey));
  }
  const event = eventId === undefined ? undefined : await getEvent(tenant.db, eventId);
  if (!event) throw new MatrixError('M_NOT_FOUND', `The room has no state event of type ${type} with state key "${stateKey}"`);
  const [client] = await serializeEvents(tenant, [event], { viewer: requester });
  if (!client) throw new MatrixError('M_NOT_FOUND', 'Event not found');
  return format === 'event' ? client : (client.content as Record<string, unknown>);
}
