// GET /rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]] (client-server API,
// "Relationship types"): the events that relate to a parent the user may see, paginated in
// stream order with the same tokens as /messages.
import { MatrixError } from '../../errors/matrix-error.ts';
import { relatedEvents } from '../../storage/rooms/events.ts';
import { currentPosition } from '../../storage/stream-positions.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { roomPositionToken } from '../sync/sync-token.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { getRoomEvent } from './get-event.ts';
import { requireReadAccess } from './room-access.ts';
import { serializeEvents } from './serialize-events.ts';
import { filterVisibleEvents } from './visibility.ts';

export interface RelationsQuery {
  relType?: string;
  eventType?: string;
  from?: number;
  to?: number;
  limit?: number;
  dir: 'b' | 'f';
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

export async function getRelations(
  tenant: TenantContext,
  viewer: Viewer,
  roomId: string,
  parentId: string,
  query: RelationsQuery,
): Promise<{ chunk: ClientEvent[]; next_batch?: string; prev_batch?: string }> {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0)) {
    throw new MatrixError('M_INVALID_PARAM', 'limit must be a non-negative integer');
  }
  // The parent must be an event the user may see (404 otherwise, like GET /event).
  await getRoomEvent(tenant, viewer, roomId, parentId);
  const access = await requireReadAccess(tenant, viewer.userId, roomId);
  const ceiling = access.upTo ?? (await currentPosition(tenant.db, 'events'));
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const backwards = query.dir === 'b';
  const from = query.from ?? (backwards ? ceiling : 0);
  const window = backwards
    ? { after: query.to, upTo: Math.min(from, ceiling) }
    : { after: from, upTo: Math.min(query.to ?? ceiling, ceiling) };
  const found = await relatedEvents(tenant.db, roomId, parentId, {
    relType: query.relType,
    eventType: query.eventType,
    ...window,
    limit: limit + 1,
    backwards,
  });
  const page = found.slice(0, limit);
  const visible = await filterVisibleEvents(tenant, viewer.userId, page);
  const response: { chunk: ClientEvent[]; next_batch?: string; prev_batch?: string } = {
    chunk: await serializeEvents(tenant, visible, { viewer }),
  };
  const last = page.at(-1);
  if (found.length > limit && last) response.next_batch = roomPositionToken(backwards ? last.streamOrdering - 1 : last.streamOrdering);
  if (query.from !== undefined) response.prev_batch = roomPositionToken(query.from);
  return response;
}
