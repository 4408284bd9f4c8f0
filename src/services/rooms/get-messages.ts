// GET /rooms/{roomId}/messages: pagination through a room's history in stream order, in
// either direction, between tokens (sync's prev_batch/next_batch, our own start/end), for
// events the user may see. Departed users read up to their departure. With lazy-loading the
// member events of the chunk's senders come along in `state`.
import { MatrixError } from '../../errors/matrix-error.ts';
import { effectiveLimit, lazyLoadMembers, type RoomEventFilter } from '../../protocol/filters/index.ts';
import { getEvents, type StoredEvent } from '../../storage/rooms/events.ts';
import { getEventsStateGroups, loadStateGroups } from '../../storage/rooms/state-groups.ts';
import { currentPosition } from '../../storage/stream-positions.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { ignoredUsers } from '../account-data/ignored-users.ts';
import { roomPositionToken } from '../sync/sync-token.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { collectRoomEvents } from './collect-events.ts';
import { requireReadAccess } from './room-access.ts';
import { serializeEvents } from './serialize-events.ts';

export interface MessagesQuery {
  /** Stream position of `from`, and the token as given (echoed as `start`). */
  from?: { position: number; token: string };
  to?: number;
  dir: 'b' | 'f';
  limit?: number;
  filter?: RoomEventFilter;
}

export interface MessagesResponse {
  start: string;
  end?: string;
  chunk: ClientEvent[];
  state?: ClientEvent[];
}

/** Member events of `senders` in the state after `at` (lazy-loaded members). */
export async function memberEventsOf(tenant: TenantContext, at: StoredEvent, senders: Iterable<string>): Promise<StoredEvent[]> {
  const keys = [...new Set(senders)].map((s) => ['m.room.member', s] as const);
  if (keys.length === 0) return [];
  const group = (await getEventsStateGroups(tenant.db, [at.eventId])).get(at.eventId)?.after;
  if (group === undefined) return [];
  const state = (await loadStateGroups(tenant.db, [group], { types: [], keys })).get(group) ?? new Map();
  const events = await getEvents(tenant.db, [...state.values()]);
  return [...events.values()].sort((a, b) => a.streamOrdering - b.streamOrdering);
}

export async function getMessages(tenant: TenantContext, viewer: Viewer, roomId: string, query: MessagesQuery): Promise<MessagesResponse> {
  if (query.limit !== undefined && (!Number.isSafeInteger(query.limit) || query.limit < 0)) throw new MatrixError('M_INVALID_PARAM', 'limit must be a non-negative integer');
  const access = await requireReadAccess(tenant, viewer.userId, roomId);
  const limit = effectiveLimit({ limit: query.limit ?? query.filter?.limit });
  const ceiling = access.upTo ?? (await currentPosition(tenant.db, 'events'));
  const backwards = query.dir === 'b';
  const from = query.from?.position ?? (backwards ? ceiling : 0);

  // Stream positions sit between events: `p` means "after event p". Backwards from p reads
  // events <= p; forwards from p reads events > p. `to` bounds the other end the same way.
  const window = backwards
    ? { roomId, after: query.to ?? null, upTo: Math.min(from, ceiling) }
    : { roomId, after: from, upTo: Math.min(query.to ?? ceiling, ceiling) };
  const ignoredSenders = await ignoredUsers(tenant, viewer.userId);
  const collected = (await collectRoomEvents(tenant, viewer.userId, [window], { limit, backwards, filter: query.filter, ignoredSenders })).get(roomId);
  const events = collected?.events ?? [];
  const response: MessagesResponse = {
    start: query.from?.token ?? roomPositionToken(from),
    chunk: await serializeEvents(tenant, events, { viewer }),
  };
  if (collected?.more && collected.scannedTo !== undefined) {
    response.end = roomPositionToken(backwards ? collected.scannedTo - 1 : collected.scannedTo);
  }
  const lazy = lazyLoadMembers(query.filter);
  if (lazy.enabled && events.length > 0) {
    const newest = backwards ? events[0] : events.at(-1);
    const members = await memberEventsOf(tenant, newest as StoredEvent, events.map((e) => e.pdu.sender));
    response.state = await serializeEvents(tenant, members, { viewer });
  }
  return response;
}
