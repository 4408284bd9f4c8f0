// PUT /directory/room/{roomAlias}: a new alias of this server for a room the user is
// joined to. A taken alias is 409.
import { MatrixError } from '../../errors/matrix-error.ts';
import { insertAlias } from '../../storage/rooms/aliases.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdSyntax } from './membership-event.ts';
import { requireAliasSyntax } from './resolve-alias.ts';
import { requireJoined } from './room-access.ts';

export async function setAlias(tenant: TenantContext, userId: string, alias: string, roomId: string): Promise<Record<string, never>> {
  const parsed = requireAliasSyntax(alias);
  if (parsed.serverName !== tenant.serverName) throw new MatrixError('M_INVALID_PARAM', `Aliases on this server must end in :${tenant.serverName}`);
  requireRoomIdSyntax(roomId);
  await requireJoined(tenant, userId, roomId).catch((error: unknown) => {
    throw error instanceof MatrixError && error.errcode === 'M_FORBIDDEN' ? new MatrixError('M_FORBIDDEN', 'You must be joined to a room to give it an alias') : error;
  });
  if (!(await insertAlias(tenant.db, { alias, roomId, creator: userId, createdTs: Date.now() }))) {
    throw new MatrixError('M_UNKNOWN', `Room alias ${alias} already exists`, { status: 409 });
  }
  return {};
}
