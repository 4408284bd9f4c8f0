// One /sync computation (no waiting; see sync.ts): which rooms to report, their timelines
// and state, summaries, invites, knocks and departures. The number of queries does not
// grow with the number of rooms: every step reads all rooms at once.
//
// Per room, `state` is the state at the start of the timeline: the full state for an
// initial sync, full_state, or a room joined since `since`; otherwise the delta between the
// state at `since` and the timeline start, which is empty unless the timeline was limited
// (or filtered). Left rooms end at the user's departure.
import {
  applyEventFields,
  roomFilterIncludesRoom,
  syncFilterOptions,
  matchesRoomEventFilter,
  type Filter,
  type RoomEventFilter,
  type SyncFilterOptions,
} from '../../protocol/filters/index.ts';
import { redactWithVersion } from '../../protocol/redaction.ts';
import type { RoomVersion } from '../../protocol/room-versions.ts';
import type { UserMembership } from '../../storage/rooms/current-state.ts';
import { getEvents, type RoomWindow, type StoredEvent } from '../../storage/rooms/events.ts';
import { getCurrentStateGroups } from '../../storage/rooms/rooms.ts';
import { getEventsStateGroups, loadStateGroups, splitStateKey, stateGroupsAtPositions, stateKeyOf, type StateMap } from '../../storage/rooms/state-groups.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ClientEvent, Viewer } from '../rooms/client-event.ts';
import { addUnreadCounts } from '../push/sync-unread-counts.ts';
import { collectRoomEvents } from '../rooms/collect-events.ts';
import { roomVersionsOf } from '../rooms/room-versions.ts';
import { serializeEventLists } from '../rooms/serialize-events.ts';
import { ignoredUsersAsOf } from '../account-data/ignored-users.ts';
import { addUserDataToSync, userDataForSync } from '../sync-parts/user-data.ts';
import { addE2eeKeysToSync, e2eeKeysForSync } from '../sync-parts/e2ee-keys.ts';
import { addToDeviceToSync, type ToDeviceEvent } from '../sync-parts/to-device.ts';
import { syncHead } from './current-token.ts';
import { recordSentMembers, resetSentMembers, sentMembers } from './lazy-members.ts';
import { roomSummaries, type RoomSummary } from './room-summary.ts';
import { strippedStates, type StrippedEvent } from './stripped-state.ts';
import { encodeSyncToken, roomPositionToken, type SyncToken } from './sync-token.ts';

export interface SyncRequest {
  since?: SyncToken;
  filter?: Filter;
  fullState: boolean;
}

interface Timeline {
  events: unknown[];
  limited: boolean;
  prev_batch?: string;
}

export interface JoinedRoom {
  /** Empty for a room reported only for its user data (nothing changed). */
  summary: Partial<RoomSummary>;
  state: { events: unknown[] };
  timeline: Timeline;
  ephemeral: { events: unknown[] };
  account_data: { events: unknown[] };
  unread_notifications: { highlight_count: number; notification_count: number };
  unread_thread_notifications?: Record<string, { highlight_count: number; notification_count: number }>;
}

export interface LeftRoom {
  state: { events: unknown[] };
  timeline: Timeline;
  account_data: { events: unknown[] };
}

export interface SyncResponse {
  next_batch: string;
  /** Global account data and presence (services/sync-parts); absent when empty. */
  account_data?: { events: unknown[] };
  presence?: { events: unknown[] };
  /** End-to-end encryption keys (sync-parts/e2ee-keys.ts): device_lists only on incremental
   * syncs with changes; the key counts always. */
  device_lists?: { changed: string[]; left: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
  /** The syncing device's send-to-device messages (sync-parts/to-device.ts); absent when none. */
  to_device?: { events: ToDeviceEvent[] };
  rooms: {
    join: Record<string, JoinedRoom>;
    invite: Record<string, { invite_state: { events: StrippedEvent[] } }>;
    knock: Record<string, { knock_state: { events: StrippedEvent[] } }>;
    leave: Record<string, LeftRoom>;
  };
}

export interface SyncResult {
  response: SyncResponse;
  /** Nothing to report: an incremental sync may wait for something to happen. */
  empty: boolean;
}

/** A joined or left room to report. */
interface RoomPlan {
  roomId: string;
  kind: 'join' | 'leave';
  membership: UserMembership;
  /** Full state at the timeline start, rather than the delta since `since`. */
  full: boolean;
  window: RoomWindow;
  timeline: StoredEvent[];
  limited: boolean;
  stateIds: string[];
}

/** Which rooms appear, and how (see the header). */
function planRooms(
  memberships: readonly UserMembership[],
  since: number | undefined,
  now: number,
  request: SyncRequest,
  options: SyncFilterOptions,
): { plans: RoomPlan[]; quietJoined: UserMembership[]; invites: Map<string, string>; knocks: Map<string, string> } {
  const plans: RoomPlan[] = [];
  const quietJoined: UserMembership[] = [];
  const invites = new Map<string, string>();
  const knocks = new Map<string, string>();
  const fullSync = since === undefined || request.fullState;
  const plan = (m: UserMembership, kind: 'join' | 'leave', full: boolean, after: number | null, upTo: number): void => {
    plans.push({ roomId: m.roomId, kind, membership: m, full, window: { roomId: m.roomId, after, upTo }, timeline: [], limited: false, stateIds: [] });
  };
  for (const m of memberships) {
    const changed = since !== undefined && m.streamOrdering > since;
    switch (m.membership) {
      case 'join':
        // A room joined since `since` is new to the client: timeline and state from scratch.
        if (changed) plan(m, 'join', true, null, now);
        else if (fullSync) plan(m, 'join', true, since ?? null, now);
        else quietJoined.push(m);
        break;
      case 'invite':
        if (fullSync || changed) invites.set(m.roomId, m.eventId);
        break;
      case 'knock':
        if (fullSync || changed) knocks.set(m.roomId, m.eventId);
        break;
      default:
        // Departures since `since` always show (that is how clients learn of a kick or
        // ban); older ones only with include_leave on an initial or full-state sync.
        if (changed) plan(m, 'leave', request.fullState, since ?? null, Math.min(m.streamOrdering, now));
        else if (fullSync && options.includeLeave) plan(m, 'leave', true, since ?? null, Math.min(m.streamOrdering, now));
    }
  }
  return { plans, quietJoined, invites, knocks };
}

/** Whether a timeline filter can drop events (so a non-limited timeline may miss state changes). */
function dropsEvents(filter: RoomEventFilter | undefined): boolean {
  if (!filter) return false;
  return ['types', 'not_types', 'senders', 'not_senders', 'contains_url', 'rooms', 'not_rooms'].some((key) => Object.hasOwn(filter, key));
}

const MEMBER = 'm.room.member';

/** The state groups at the start of each plan's timeline (or at its end when it is empty). */
async function startGroups(tenant: TenantContext, plans: readonly RoomPlan[]): Promise<Map<string, string>> {
  const eventIds = plans.flatMap((p) => (p.timeline[0] ? [p.timeline[0].eventId] : p.kind === 'leave' ? [p.membership.eventId] : []));
  const emptyJoined = plans.filter((p) => p.timeline.length === 0 && p.kind === 'join').map((p) => p.roomId);
  const [eventGroups, currentGroups] = await Promise.all([getEventsStateGroups(tenant.db, eventIds), getCurrentStateGroups(tenant.db, emptyJoined)]);
  const result = new Map<string, string>();
  for (const p of plans) {
    const first = p.timeline[0];
    const group = first ? eventGroups.get(first.eventId)?.before : p.kind === 'leave' ? eventGroups.get(p.membership.eventId)?.after : currentGroups.get(p.roomId);
    if (group !== undefined) result.set(p.roomId, group);
  }
  return result;
}

/** Fills each plan's stateIds (see the header), honouring lazy-loading of members. */
async function computeState(
  tenant: TenantContext,
  viewer: Viewer,
  plans: readonly RoomPlan[],
  since: number | undefined,
  options: SyncFilterOptions,
  deltaWanted: (plan: RoomPlan) => boolean,
  heroes: ReadonlyMap<string, string[]>,
): Promise<void> {
  const lazy = options.lazyLoadMembers;
  // Only rooms that get state need the state group at their timeline's start.
  const starts = await startGroups(tenant, plans.filter((p) => p.full || deltaWanted(p) || lazy.enabled));
  const wantedMembers = new Map<string, Set<string>>();
  for (const p of plans) {
    const wanted = new Set(p.timeline.map((e) => e.pdu.sender));
    for (const hero of heroes.get(p.roomId) ?? []) wanted.add(hero);
    if (p.full) wanted.add(viewer.userId);
    wantedMembers.set(p.roomId, wanted);
  }
  const fullPlans = plans.filter((p) => p.full && starts.has(p.roomId));
  const deltaPlans = plans.filter((p) => !p.full && deltaWanted(p) && starts.has(p.roomId));
  // Lazy-loading without a gap: only the senders' member events the device lacks.
  const senderPlans = lazy.enabled ? plans.filter((p) => !p.full && !deltaWanted(p) && starts.has(p.roomId)) : [];

  const memberKeys = (list: readonly RoomPlan[]) => [...new Set(list.flatMap((p) => [...(wantedMembers.get(p.roomId) ?? [])]))].map((u) => [MEMBER, u] as const);
  const [fullStates, senderStates, sinceGroups] = await Promise.all([
    loadStateGroups(
      tenant.db,
      fullPlans.map((p) => starts.get(p.roomId) as string),
      lazy.enabled ? { types: 'all', exceptTypes: [MEMBER], keys: memberKeys(fullPlans) } : undefined,
    ),
    loadStateGroups(tenant.db, senderPlans.map((p) => starts.get(p.roomId) as string), { types: [], keys: memberKeys(senderPlans) }),
    since === undefined ? new Map<string, string>() : stateGroupsAtPositions(tenant.db, deltaPlans.map((p) => ({ roomId: p.roomId, position: since }))),
  ]);
  const deltaStates = await loadStateGroups(tenant.db, [...deltaPlans.map((p) => starts.get(p.roomId) as string), ...sinceGroups.values()]);

  const sent = sentMembers(tenant, viewer);
  /** The wanted members' events in `state` the device has not been sent yet. */
  const missingMembers = (p: RoomPlan, state: StateMap): string[] => {
    const known = sent.get(p.roomId);
    return [...(wantedMembers.get(p.roomId) ?? [])].flatMap((userId) => {
      const id = state.get(stateKeyOf(MEMBER, userId));
      return id !== undefined && (lazy.includeRedundant || known?.get(userId) !== id) ? [id] : [];
    });
  };
  for (const p of fullPlans) {
    const state = fullStates.get(starts.get(p.roomId) as string) ?? new Map();
    const wanted = wantedMembers.get(p.roomId) as Set<string>;
    p.stateIds = [...state].filter(([key]) => !lazy.enabled || !key.startsWith(`${MEMBER}\u0000`) || wanted.has(splitStateKey(key)[1])).map(([, id]) => id);
  }
  for (const p of deltaPlans) {
    const start: StateMap = deltaStates.get(starts.get(p.roomId) as string) ?? new Map();
    const sinceGroup = sinceGroups.get(p.roomId);
    const before: StateMap = sinceGroup === undefined ? new Map() : (deltaStates.get(sinceGroup) ?? new Map());
    // Every change in the gap, member events included (the spec requires those even when
    // lazy-loading), then the members of the timeline's senders the device lacks.
    const ids = new Set([...start].filter(([key, id]) => before.get(key) !== id).map(([, id]) => id));
    if (lazy.enabled) for (const id of missingMembers(p, start)) ids.add(id);
    p.stateIds = [...ids];
  }
  for (const p of senderPlans) p.stateIds = missingMembers(p, senderStates.get(starts.get(p.roomId) as string) ?? new Map());
}

/** The federation format of an event ("the raw event as received over federation"), with
 * its event ID, which room versions 3+ do not carry in the PDU. */
function federationFormat(event: StoredEvent, version: RoomVersion | undefined): Record<string, unknown> {
  const pdu = event.redactedBy !== null && version ? redactWithVersion(event.pdu, version) : event.pdu;
  return { event_id: event.eventId, ...pdu };
}

export async function buildSync(tenant: TenantContext, viewer: Viewer, request: SyncRequest): Promise<SyncResult> {
  const since = request.since?.events;
  // Positions, key stock, memberships with activity since `since`, and the unread counts of
  // the active rooms: one query.
  const head = await syncHead(tenant, viewer, since);
  const { token: now, keyStock } = head;
  const nowPos = now.events;
  const filter = request.filter;
  const options = syncFilterOptions(filter);
  const roomFilter = filter?.room;
  if (since === undefined) resetSentMembers(tenant, viewer);

  const memberships = head.memberships.filter((m) => !m.forgotten && roomFilterIncludesRoom(roomFilter, m.roomId));
  const membershipByRoom = new Map(memberships.map((m) => [m.roomId, m]));
  const activeRooms = new Set(memberships.filter((m) => m.active).map((m) => m.roomId));
  const { plans, quietJoined, invites, knocks } = planRooms(memberships, since, nowPos, request, options);
  if (since !== undefined) {
    for (const m of quietJoined) {
      if (activeRooms.has(m.roomId)) plans.push({ roomId: m.roomId, kind: 'join', membership: m, full: false, window: { roomId: m.roomId, after: since, upTo: nowPos }, timeline: [], limited: false, stateIds: [] });
    }
  }

  // Timelines: the newest `limit` visible, matching events of each window, without the
  // messages of users this user ignores.
  const ignoredSenders = await ignoredUsersAsOf(tenant, viewer.userId, now.account_data);
  const collected = await collectRoomEvents(tenant, viewer.userId, plans.map((p) => p.window), {
    limit: options.timelineLimit,
    backwards: true,
    filter: roomFilter?.timeline,
    memberships: membershipByRoom,
    ignoredSenders,
  });
  for (const p of plans) {
    const result = collected.get(p.roomId);
    p.timeline = [...(result?.events ?? [])].reverse();
    p.limited = result?.more ?? false;
  }

  // Summaries only where membership (or the name, which decides whether heroes are needed)
  // may have changed: the spec lets an unchanged summary be left out, and clients keep the last.
  const filtersTimeline = dropsEvents(roomFilter?.timeline);
  const stateMayHaveChanged = (p: RoomPlan): boolean => p.full || p.limited || filtersTimeline || p.timeline.some((e) => e.pdu.state_key !== undefined);
  const joinedIds = plans.filter((p) => p.kind === 'join' && stateMayHaveChanged(p)).map((p) => p.roomId);
  const [summaries, stripped, knockStripped] = await Promise.all([
    roomSummaries(tenant, viewer.userId, joinedIds),
    strippedStates(tenant, viewer, invites),
    strippedStates(tenant, viewer, knocks),
  ]);
  const heroes = new Map([...summaries].map(([roomId, s]) => [roomId, s['m.heroes']]));
  await computeState(tenant, viewer, plans, since, options, (p) => p.limited || filtersTimeline, heroes);

  // State events: fetched at once, minus anything in the timeline, through the state filter.
  const stateEvents = await getEvents(tenant.db, plans.flatMap((p) => p.stateIds));
  const stateLists = plans.map((p) => {
    const inTimeline = new Set(p.timeline.map((e) => e.eventId));
    return p.stateIds
      .filter((id) => !inTimeline.has(id))
      .flatMap((id) => stateEvents.get(id) ?? [])
      .filter((e) => matchesRoomEventFilter(roomFilter?.state, e.pdu, p.roomId))
      .sort((a, b) => a.streamOrdering - b.streamOrdering);
  });

  if (options.lazyLoadMembers.enabled) {
    plans.forEach((p, i) => {
      const members = [...(stateLists[i] ?? []), ...p.timeline].filter((e) => e.pdu.type === MEMBER && e.pdu.state_key !== undefined);
      recordSentMembers(tenant, viewer, p.roomId, members.map((e) => [e.pdu.state_key as string, e.eventId]));
    });
  }

  const formatted = await formatLists(tenant, viewer, [...plans.map((p) => p.timeline), ...stateLists], options);
  const response: SyncResponse = { next_batch: encodeSyncToken(now), rooms: { join: {}, invite: {}, knock: {}, leave: {} } };
  let reported = knocks.size;
  plans.forEach((p, i) => {
    const timelineEvents = formatted[i] ?? [];
    const state = formatted[plans.length + i] ?? [];
    const first = p.timeline[0];
    const timeline: Timeline = {
      events: timelineEvents,
      limited: p.limited,
      prev_batch: roomPositionToken(first ? first.streamOrdering - 1 : p.window.upTo),
    };
    if (p.kind === 'leave') {
      response.rooms.leave[p.roomId] = { state: { events: state }, timeline, account_data: { events: [] } };
      reported++;
      return;
    }
    // An incremental sync leaves out joined rooms where nothing visible happened.
    const newlyJoined = since !== undefined && p.membership.streamOrdering > since;
    if (since !== undefined && !request.fullState && !newlyJoined && timelineEvents.length === 0 && state.length === 0) return;
    reported++;
    response.rooms.join[p.roomId] = {
      summary: summaries.get(p.roomId) ?? {},
      state: { events: state },
      timeline,
      ephemeral: { events: [] },
      account_data: { events: [] },
      // Filled in by addUnreadCounts below.
      unread_notifications: { highlight_count: 0, notification_count: 0 },
    };
  });
  // User data (services/sync-parts): global and room account data, presence, typing and
  // receipts. A joined room with nothing but user data to report gets an empty timeline.
  // Users can start or stop sharing a room with the viewer only through membership events.
  // (A room filter hides rooms from the plans: then assume it may have.)
  const roomsHidden = roomFilter?.rooms !== undefined || roomFilter?.not_rooms !== undefined;
  const membershipMayHaveChanged = since === undefined || roomsHidden || invites.size > 0 || knocks.size > 0 || plans.some(stateMayHaveChanged);
  const userData = await userDataForSync(tenant, viewer.userId, {
    ...(request.since ? { since: request.since } : {}),
    upTo: now,
    fullState: request.fullState,
    memberships,
    membershipMayHaveChanged,
    ...(filter ? { filter } : {}),
  });
  const joinedRoomIds = new Set(memberships.filter((m) => m.membership === 'join').map((m) => m.roomId));
  reported += addUserDataToSync(response, userData, joinedRoomIds, () => ({
    summary: {},
    state: { events: [] },
    timeline: { events: [], limited: false, prev_batch: roomPositionToken(nowPos) },
    ephemeral: { events: [] },
    account_data: { events: [] },
    unread_notifications: { highlight_count: 0, notification_count: 0 },
  }));
  // The device's to-device messages: `since` acknowledges earlier ones; next_batch's
  // to_device part stops at the last one delivered when more remain.
  reported += await addToDeviceToSync(tenant, viewer, response, request.since, now);
  // End-to-end encryption keys: device-list changes count as news, key counts do not.
  reported += addE2eeKeysToSync(response, await e2eeKeysForSync(tenant, viewer, { ...(request.since ? { since: request.since } : {}), upTo: now, membershipMayHaveChanged, keyStock }));
  // Unread notification counts of every reported joined room (services/push).
  await addUnreadCounts(tenant, viewer.userId, response.rooms.join, {
    perThread: options.unreadThreadNotifications,
    upTo: nowPos,
    known: { rooms: head.unreadRooms, counts: head.unread },
  });
  for (const [roomId, events] of stripped) {
    // Invites from ignored users are not shown.
    const inviter = events.find((e) => e.type === MEMBER && e.state_key === viewer.userId)?.sender;
    if (typeof inviter === 'string' && ignoredSenders.has(inviter)) continue;
    response.rooms.invite[roomId] = { invite_state: { events } };
    reported++;
  }
  for (const [roomId, events] of knockStripped) response.rooms.knock[roomId] = { knock_state: { events } };
  return { response, empty: since !== undefined && reported === 0 };
}

/** Client (or federation) format, then the filter's event_fields. */
async function formatLists(tenant: TenantContext, viewer: Viewer, lists: StoredEvent[][], options: SyncFilterOptions): Promise<Array<Array<ClientEvent>>> {
  let formatted: ClientEvent[][];
  if (options.eventFormat === 'federation') {
    const versions = await roomVersionsOf(tenant, lists.flat().map((e) => e.roomId));
    formatted = lists.map((list) => list.map((e) => federationFormat(e, versions.get(e.roomId))));
  } else {
    formatted = await serializeEventLists(tenant, lists, { viewer, omitRoomId: true });
  }
  const fields = options.eventFields;
  return fields === undefined ? formatted : formatted.map((list) => list.map((e) => applyEventFields(e, fields)));
}
