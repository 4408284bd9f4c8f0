// GET /_matrix/client/v1/rooms/{roomId}/threads: the room's thread roots the user may see,
// the most recently active first, each with its bundled thread summary.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getEvents, threadRoots } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { requireReadAccess } from './room-access.ts';
import { serializeEvents } from './serialize-events.ts';
import { filterVisibleEvents } from './visibility.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

export async function listThreads(
  tenant: TenantContext,
  viewer: Viewer,
  roomId: string,
  query: { include: 'all' | 'participated'; limit?: number; from?: string },
): Promise<{ chunk: ClientEvent[]; next_batch?: string }> {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 1)) {
    throw new MatrixError('M_INVALID_PARAM', 'limit must be an integer greater than zero');
  }
  let before: number | undefined;
  if (query.from !== undefined) {
    const match = /^t(\d{1,15})$/.exec(query.from);
    if (!match) throw new MatrixError('M_INVALID_PARAM', 'from is not a valid pagination token');
    before = Number(match[1]);
  }
  const access = await requireReadAccess(tenant, viewer.userId, roomId);
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
  const roots = await threadRoots(tenant.db, roomId, {
    before,
    limit: limit + 1,
    ...(query.include === 'participated' ? { participant: viewer.userId } : {}),
  });
  const page = roots.slice(0, limit);
  const events = await getEvents(tenant.db, page.map((r) => r.rootId));
  const inOrder = page.flatMap((r) => {
    const event = events.get(r.rootId);
    return event && (access.upTo === undefined || event.streamOrdering <= access.upTo) ? [event] : [];
  });
  const visible = await filterVisibleEvents(tenant, viewer.userId, inOrder);
  const response: { chunk: ClientEvent[]; next_batch?: string } = { chunk: await serializeEvents(tenant, visible, { viewer }) };
  const last = page.at(-1);
  if (roots.length > limit && last) response.next_batch = `t${last.latest}`;
  return response;
}
