// GET /directory/room/{roomAlias}: an alias of this server → its room and the servers in it.
// Aliases of other servers would be asked over federation, which is not there yet (404).
import { MatrixError } from '../../errors/matrix-error.ts';
import { parseRoomAlias, serverNameOf } from '../../protocol/ids.ts';
import { getAlias } from '../../storage/rooms/aliases.ts';
import { roomMembers } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';

/** Parses an alias of any server; malformed ones are 400 M_INVALID_PARAM. */
export function requireAliasSyntax(alias: string): { localpart: string; serverName: string } {
  const parsed = parseRoomAlias(alias);
  if (!parsed) throw new MatrixError('M_INVALID_PARAM', `${alias} is not a valid room alias`);
  return parsed;
}

export async function resolveAlias(tenant: TenantContext, alias: string): Promise<{ room_id: string; servers: string[] }> {
  const parsed = requireAliasSyntax(alias);
  if (parsed.serverName !== tenant.serverName) {
    throw new MatrixError('M_NOT_FOUND', `Room alias ${alias} is on another server; resolving it needs federation, which this server does not offer yet`);
  }
  const found = await getAlias(tenant.db, alias);
  if (!found) throw new MatrixError('M_NOT_FOUND', `Room alias ${alias} not found`);
  const servers = new Set([tenant.serverName]);
  for (const member of await roomMembers(tenant.db, found.roomId, ['join'])) {
    const server = serverNameOf(member.userId);
    if (server !== undefined) servers.add(server);
  }
  return { room_id: found.roomId, servers: [...servers] };
}
