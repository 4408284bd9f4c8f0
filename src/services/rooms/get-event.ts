// GET /rooms/{roomId}/event/{eventId}: one event the user may see; anything else (unknown,
// another room, after their departure, hidden by history visibility, not their room at all)
// is the same 404.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { requireReadAccess } from './room-access.ts';
import { serializeEvents } from './serialize-events.ts';
import { filterVisibleEvents } from './visibility.ts';

function notFound(): MatrixError {
  return new MatrixError('M_NOT_FOUND', 'Event not found');
}

export async function getRoomEvent(tenant: TenantContext, viewer: Viewer, roomId: string, eventId: string): Promise<ClientEvent> {
  const access = await requireReadAccess(tenant, viewer.userId, roomId).catch((error: unknown) => {
    if (error instanceof MatrixError && error.errcode === 'M_FORBIDDEN') throw notFound();
    throw error;
  });
  const event = await getEvent(tenant.db, eventId);
  if (!event || event.roomId !== roomId) throw notFound();
  if (access.upTo !== undefined && event.streamOrdering > access.upTo) throw notFound();
  const [visible] = await filterVisibleEvents(tenant, viewer.userId, [event]);
  if (!visible) throw notFound();
  const [client] = await serializeEvents(tenant, [visible], { viewer });
  if (!client) throw notFound();
  return client;
}
