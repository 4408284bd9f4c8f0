// The published room directory (client-server API, "Room discovery"): GET/POST /publicRooms.
// Rooms are listed most members first; `since` tokens are offsets into that order.
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import { describingStateIds, listPublishedRooms } from '../../storage/rooms/public-rooms.ts';

export interface PublicRoomsQuery {
  limit?: number;
  since?: string;
  /** Case-insensitive substring of name, topic or canonical alias. */
  searchTerm?: string;
  /** Room types to include; null stands for rooms without a type. Undefined: all. */
  roomTypes?: Array<string | null>;
}

export interface PublishedRoomChunk {
  room_id: string;
  num_joined_members: number;
  world_readable: boolean;
  guest_can_join: boolean;
  name?: string;
  topic?: string;
  canonical_alias?: string;
  avatar_url?: string;
  join_rule?: string;
  room_type?: string;
}

const DESCRIBING_TYPES = [
  'm.room.create',
  'm.room.name',
  'm.room.topic',
  'm.room.canonical_alias',
  'm.room.avatar',
  'm.room.join_rules',
  'm.room.history_visibility',
  'm.room.guest_access',
] as const;
const MAX_LIMIT = 500;

function parseSince(since: string | undefined): number {
  if (since === undefined) return 0;
  const match = /^o(\d{1,9})$/.exec(since);
  if (!match) throw new MatrixError('M_INVALID_PARAM', 'since is not a valid pagination token');
  return Number(match[1]);
}

function stringField(content: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = content?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

async function describeRooms(tenant: TenantContext, rooms: Array<{ roomId: string; joinedMembers: number }>): Promise<PublishedRoomChunk[]> {
  const ids = await describingStateIds(tenant.db, rooms.map((r) => r.roomId), DESCRIBING_TYPES);
  const events = await getEvents(tenant.db, ids.map((i) => i.eventId));
  const contentOf = new Map<string, Record<string, unknown>>();
  for (const { roomId, type, eventId } of ids) {
    const content = events.get(eventId)?.pdu.content;
    if (content) contentOf.set(`${roomId}\u0000${type}`, content);
  }
  return rooms.map(({ roomId, joinedMembers }) => {
    const content = (type: string) => contentOf.get(`${roomId}\u0000${type}`);
    const chunk: PublishedRoomChunk = {
      room_id: roomId,
      num_joined_members: joinedMembers,
      world_readable: stringField(content('m.room.history_visibility'), 'history_visibility') === 'world_readable',
      guest_can_join: stringField(content('m.room.guest_access'), 'guest_access') === 'can_join',
    };
    const name = stringField(content('m.room.name'), 'name');
    const topic = stringField(content('m.room.topic'), 'topic');
    const alias = stringField(content('m.room.canonical_alias'), 'alias');
    const avatar = stringField(content('m.room.avatar'), 'url');
    const joinRule = stringField(content('m.room.join_rules'), 'join_rule');
    const roomType = stringField(content('m.room.create'), 'type');
    if (name !== undefined) chunk.name = name;
    if (topic !== undefined) chunk.topic = topic;
    if (alias !== undefined) chunk.canonical_alias = alias;
    if (avatar !== undefined) chunk.avatar_url = avatar;
    if (joinRule !== undefined) chunk.join_rule = joinRule;
    if (roomType !== undefined) chunk.room_type = roomType;
    return chunk;
  });
}

function matches(chunk: PublishedRoomChunk, query: PublicRoomsQuery): boolean {
  if (query.roomTypes !== undefined && !query.roomTypes.includes(chunk.room_type ?? null)) return false;
  const term = query.searchTerm?.trim().toLowerCase();
  if (!term) return true;
  return [chunk.name, chunk.topic, chunk.canonical_alias].some((text) => text?.toLowerCase().includes(term));
}

export async function publicRooms(
  tenant: TenantContext,
  query: PublicRoomsQuery,
): Promise<{ chunk: PublishedRoomChunk[]; next_batch?: string; prev_batch?: string; total_room_count_estimate: number }> {
  const limit = Math.min(query.limit ?? MAX_LIMIT, MAX_LIMIT);
  const offset = parseSince(query.since);
  const filtering = query.searchTerm !== undefined || query.roomTypes !== undefined;
  const published = await listPublishedRooms(tenant.db);
  // Filters look at room state, so with one every published room is described; small
  // organisations publish few rooms.
  const candidates = filtering ? (await describeRooms(tenant, published)).filter((c) => matches(c, query)) : undefined;
  const total = candidates?.length ?? published.length;
  const page = candidates ? candidates.slice(offset, offset + limit) : await describeRooms(tenant, published.slice(offset, offset + limit));
  const response: { chunk: PublishedRoomChunk[]; next_batch?: string; prev_batch?: string; total_room_count_estimate: number } = {
    chunk: page,
    total_room_count_estimate: total,
  };
  if (offset + limit < total) response.next_batch = `o${offset + limit}`;
  if (offset > 0) response.prev_batch = `o${Math.max(0, offset - limit)}`;
  return response;
}
