// The first event of a new room: m.room.create. It has no prev or auth events; in room
// version 12 it has no room_id either, and the room ID is derived from its reference hash.
import { randomBytes } from 'node:crypto';
import { checkAuth } from '../../protocol/auth/index.ts';
import { roomIdFromCreateEvent } from '../../protocol/event-id.ts';
import type { RoomVersion } from '../../protocol/room-versions.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { insertRoom } from '../../storage/rooms/rooms.ts';
import { buildPduSkeleton, signNewEvent, type CreatedEvent } from './create-local-event.ts';
import { persistEvent } from './persist-event.ts';

export async function createRoomWithCreateEvent(
  tenant: TenantContext,
  version: RoomVersion,
  creator: string,
  content: Record<string, unknown>,
): Promise<{ roomId: string; created: CreatedEvent }> {
  const now = Date.now();
  const draft = { type: 'm.room.create', stateKey: '', sender: creator, content };
  const provisionalRoomId = version.roomIdFromCreateEvent ? undefined : `!${randomBytes(18).toString('base64url')}:${tenant.serverName}`;
  const skeleton = buildPduSkeleton(draft, provisionalRoomId, version, { depth: 1, prevEvents: [], authEvents: [], now });
  const { eventId, pdu } = signNewEvent(tenant, skeleton, version);
  const roomId = provisionalRoomId ?? roomIdFromCreateEvent(pdu, version.id);
  const verdict = checkAuth(pdu, [], version.id);
  if (!verdict.allowed) throw new MatrixError('M_INVALID_PARAM', verdict.reason ?? 'invalid m.room.create content');
  return tenant.roomQueue.run(roomId, async () => {
    await insertRoom(tenant.db, { roomId, roomVersion: version.id, creator, createdTs: now });
    const persisted = await persistEvent(tenant, { roomId, eventId, pdu, stateGroupBefore: null, prevEventIds: [], headVersion: 0 });
    return { roomId, created: { eventId, streamOrdering: persisted.streamOrdering, pdu, duplicate: false } };
  });
}
