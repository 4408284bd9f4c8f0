// GET /rooms/{roomId}/aliases: this server's aliases of a room, for its members (anyone
// when the room is world readable).
import { aliasesOfRoom } from '../../storage/rooms/aliases.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdSyntax } from './membership-event.ts';
import { requireReadAccess } from './room-access.ts';

export async function listRoomAliases(tenant: TenantContext, userId: string, roomId: string): Promise<{ aliases: string[] }> {
  requireRoomIdSyntax(roomId);
  await requireReadAccess(tenant, userId, roomId, { allowDeparted: false });
  return { aliases: await aliasesOfRoom(tenant.db, roomId) };
}
