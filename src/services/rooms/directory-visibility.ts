// GET/PUT /directory/list/room/{roomId}: whether a room is listed in the published directory.
// Listing is for members allowed to change the room's canonical alias (or server admins).
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { getRoom, setRoomPublished } from '../../storage/rooms/rooms.ts';
import { mayChangeCanonicalAlias } from './delete-alias.ts';

export async function getDirectoryVisibility(tenant: TenantContext, roomId: string): Promise<{ visibility: 'public' | 'private' }> {
  const room = await getRoom(tenant.db, roomId);
  if (!room) throw new MatrixError('M_NOT_FOUND', 'Room not found');
  return { visibility: room.published ? 'public' : 'private' };
}

export async function setDirectoryVisibility(
  tenant: TenantContext,
  requester: { userId: string; isAdmin: boolean },
  roomId: string,
  visibility: 'public' | 'private',
): Promise<Record<string, never>> {
  const room = await getRoom(tenant.db, roomId);
  if (!room) throw new MatrixError('M_NOT_FOUND', 'Room not found');
  if (!requester.isAdmin && !(await mayChangeCanonicalAlias(tenant, requester.userId, roomId))) {
    throw new MatrixError('M_FORBIDDEN', 'Only room members allowed to change the canonical alias may list or unlist the room');
  }
  await setRoomPublished(tenant.db, roomId, visibility === 'public');
  return {};
}
