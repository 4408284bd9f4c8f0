// GET /rooms/{roomId}/members: the member events of the room — now, at a pagination token
// (`at`), or for departed users as they were at their departure — filtered by membership.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import { loadStateGroups, stateGroupsAtPositions } from '../../storage/rooms/state-groups.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ClientEvent, Viewer } from './client-event.ts';
import { requireReadAccess } from './room-access.ts';
import { serializeEvents } from './serialize-events.ts';

export const MEMBERSHIPS = ['join', 'invite', 'knock', 'leave', 'ban'] as const;

export interface MembersQuery {
  /** Stream position of an `at` token. */
  at?: number;
  membership?: string;
  notMembership?: string;
}

function wanted(membership: string, query: MembersQuery): boolean {
  if (query.membership === undefined && query.notMembership === undefined) return true;
  // Both given: either condition ("or").
  return (query.membership !== undefined && membership === query.membership) || (query.notMembership !== undefined && membership !== query.notMembership);
}

export async function getMembers(tenant: TenantContext, viewer: Viewer, roomId: string, query: MembersQuery): Promise<{ chunk: ClientEvent[] }> {
  for (const value of [query.membership, query.notMembership]) {
    if (value !== undefined && !(MEMBERSHIPS as readonly string[]).includes(value)) {
      throw new MatrixError('M_INVALID_PARAM', `membership filters must be one of ${MEMBERSHIPS.join(', ')}`);
    }
  }
  const access = await requireReadAccess(tenant, viewer.userId, roomId);
  let group = access.stateGroup;
  const limit = access.upTo;
  if (query.at !== undefined && (limit === undefined || query.at < limit)) {
    group = (await stateGroupsAtPositions(tenant.db, [{ roomId, position: query.at }])).get(roomId) ?? group;
  }
  const state = (await loadStateGroups(tenant.db, [group], { types: ['m.room.member'] })).get(group) ?? new Map();
  const events = await getEvents(tenant.db, [...state.values()]);
  const members = [...events.values()]
    .filter((e) => wanted(String(e.pdu.content.membership), query))
    .sort((a, b) => a.streamOrdering - b.streamOrdering);
  return { chunk: await serializeEvents(tenant, members, { viewer }) };
}
