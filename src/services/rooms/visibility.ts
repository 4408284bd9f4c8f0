// History visibility (modules/history_visibility.md, "Server behaviour"): which events a
// user may see, judged by the state of the room at each event. Works on batches from many
// rooms with a fixed number of queries (memberships, state groups of the events, the two
// state entries of those groups, their events, the user's last joins).
import type { Pdu } from '../../protocol/types.ts';
import { membershipsInRooms, type UserMembership } from '../../storage/rooms/current-state.ts';
import { getEvents, lastJoinPositions, type StoredEvent } from '../../storage/rooms/events.ts';
import { getEventsStateGroups, loadStateGroups, stateKeyOf } from '../../storage/rooms/state-groups.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export const HISTORY_VISIBILITY = 'm.room.history_visibility';
const KNOWN_VISIBILITIES = new Set(['world_readable', 'shared', 'invited', 'joined']);

/** The visibility a history_visibility content means; missing or unknown values are `shared`. */
export function historyVisibilityOf(content: unknown): string {
  const value = (content as { history_visibility?: unknown } | undefined)?.history_visibility;
  return typeof value === 'string' && KNOWN_VISIBILITIES.has(value) ? value : 'shared';
}

function membershipOf(content: unknown): string {
  const value = (content as { membership?: unknown } | undefined)?.membership;
  return typeof value === 'string' ? value : 'leave';
}

/** The four rules, for one visibility and membership at an event. */
function allows(visibility: string, membership: string, eventPosition: number, lastJoin: number | undefined): boolean {
  if (visibility === 'world_readable') return true;
  if (membership === 'join') return true;
  if (visibility === 'shared' && lastJoin !== undefined && lastJoin >= eventPosition) return true;
  return visibility === 'invited' && membership === 'invite';
}

export interface VisibilityOptions {
  /** Current memberships of the user, if the caller has them already. */
  memberships?: ReadonlyMap<string, UserMembership>;
}

/** The events (of any rooms) the user may see, in the given order. */
export async function filterVisibleEvents(tenant: TenantContext, userId: string, events: readonly StoredEvent[], options: VisibilityOptions = {}): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const roomIds = [...new Set(events.map((e) => e.roomId))];
  const memberships = options.memberships ?? (await membershipsInRooms(tenant.db, roomIds, userId));

  // Joined since before an event: membership at it is `join` (rule 2) — no lookups needed.
  const undecided = events.filter((e) => {
    const m = memberships.get(e.roomId);
    return !(m?.membership === 'join' && e.streamOrdering > m.streamOrdering);
  });
  if (undecided.length === 0) return [...events];

  const groups = await getEventsStateGroups(tenant.db, undecided.map((e) => e.eventId));
  const memberKey = stateKeyOf('m.room.member', userId);
  const hvKey = stateKeyOf(HISTORY_VISIBILITY, '');
  const states = await loadStateGroups(tenant.db, [...new Set([...groups.values()].map((g) => g.before))], {
    types: [],
    keys: [
      [HISTORY_VISIBILITY, ''],
      ['m.room.member', userId],
    ],
  });
  const stateEventIds = new Set<string>();
  for (const state of states.values()) for (const id of state.values()) stateEventIds.add(id);
  const stateEvents = await getEvents(tenant.db, [...stateEventIds]);
  const contentOf = (id: string | undefined): unknown => (id === undefined ? undefined : stateEvents.get(id)?.pdu.content);

  // "Joined at any point after the event": a user joined now has; others by their last join.
  const notJoined = roomIds.filter((r) => memberships.get(r)?.membership !== 'join');
  const lastJoins = await lastJoinPositions(tenant.db, notJoined, userId);
  const lastJoinIn = (roomId: string): number | undefined => (memberships.get(roomId)?.membership === 'join' ? Number.MAX_SAFE_INTEGER : lastJoins.get(roomId));

  const hidden = new Set<string>();
  for (const event of undecided) {
    const group = groups.get(event.eventId);
    if (!group) {
      hidden.add(event.eventId);
      continue;
    }
    const before = states.get(group.before);
    const visibility = historyVisibilityOf(contentOf(before?.get(hvKey)));
    const membership = membershipOf(contentOf(before?.get(memberKey)));
    const lastJoin = lastJoinIn(event.roomId);
    const pdu: Pdu = event.pdu;
    let visible = allows(visibility, membership, event.streamOrdering, lastJoin);
    // A visibility change is visible if the rules before or after it allow; so is a
    // change of the user's own membership.
    if (!visible && pdu.type === HISTORY_VISIBILITY && pdu.state_key === '') {
      visible = allows(historyVisibilityOf(pdu.content), membership, event.streamOrdering, lastJoin);
    }
    if (!visible && pdu.type === 'm.room.member' && pdu.state_key === userId) {
      visible = allows(visibility, membershipOf(pdu.content), event.streamOrdering, lastJoin);
    }
    if (!visible) hidden.add(event.eventId);
  }
  return events.filter((e) => !hidden.has(e.eventId));
}
