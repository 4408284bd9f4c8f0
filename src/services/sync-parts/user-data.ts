// Everything /sync reports beside rooms' timelines and state, in one call: global account
// data, presence, and per room its account data (joined and left rooms) and ephemeral
// events (typing, receipts; joined rooms). Rooms the user joined after the since token (and
// every room on an initial or full-state sync) get their full receipts, typing and account
// data; others only what changed. The sync filter's account_data, presence,
// room.account_data and room.ephemeral parts apply.
import { matchesEventFilter, matchesRoomEventFilter, type Filter } from '../../protocol/filters/index.ts';
import type { UserMembership } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { accountDataSince, type AccountDataEvent } from './account-data.ts';
import { presenceSince, type PresenceEvent } from './presence.ts';
import { receiptsSince, type ReceiptEvent } from './receipts.ts';
import { typingSince, type TypingEvent } from './typing.ts';

/** The stream positions of a sync token that this module reads. */
export interface UserDataPositions {
  events: number;
  account_data: number;
  presence: number;
  receipts: number;
  typing: number;
}

export interface UserDataRequest {
  /** The since token's positions; undefined: initial sync. */
  since?: UserDataPositions;
  /** The positions of the response's next_batch. */
  upTo: UserDataPositions;
  /** full_state=true: rooms get everything, as on an initial sync. */
  fullState: boolean;
  /** The user's memberships, as the sync reports rooms (filtered by the room filter). */
  memberships: readonly UserMembership[];
  /** False when no membership event can lie between the tokens in the user's rooms (so no
   * user became visible); true when unsure. */
  membershipMayHaveChanged?: boolean;
  filter?: Filter;
}

export interface RoomUserData {
  accountData: AccountDataEvent[];
  ephemeral: Array<TypingEvent | ReceiptEvent>;
}

export interface UserDataForSync {
  accountData: AccountDataEvent[];
  presence: PresenceEvent[];
  /** Rooms with something to report (absent: nothing). */
  rooms: Map<string, RoomUserData>;
}

export async function userDataForSync(tenant: TenantContext, userId: string, request: UserDataRequest): Promise<UserDataForSync> {
  const { since, upTo, filter } = request;
  const initial = since === undefined || request.fullState;
  const joined = request.memberships.filter((m) => m.membership === 'join').map((m) => m.roomId);
  const fullRooms = new Set(initial ? joined : request.memberships.filter((m) => m.membership === 'join' && m.streamOrdering > (since?.events ?? 0)).map((m) => m.roomId));
  const deltaRooms = joined.filter((roomId) => !fullRooms.has(roomId));
  const reportedRooms = new Set(request.memberships.map((m) => m.roomId));

  const [accountData, presence, fullReceipts, deltaReceipts] = await Promise.all([
    accountDataSince(tenant, userId, initial ? null : (since?.account_data ?? null), upTo.account_data, { fullRoomIds: fullRooms }),
    presenceSince(tenant, userId, {
      since: since === undefined ? null : since.presence,
      upTo: upTo.presence,
      eventsSince: since === undefined ? null : request.membershipMayHaveChanged === false ? upTo.events : since.events,
      eventsUpTo: upTo.events,
    }),
    receiptsSince(tenant, userId, [...fullRooms], null, upTo.receipts),
    initial ? new Map<string, ReceiptEvent>() : receiptsSince(tenant, userId, deltaRooms, since?.receipts ?? null, upTo.receipts),
  ]);
  const typing = new Map([...typingSince(tenant, fullRooms, null), ...(initial ? [] : typingSince(tenant, deltaRooms, since?.typing ?? null))]);

  const rooms = new Map<string, RoomUserData>();
  const roomData = (roomId: string): RoomUserData => {
    let data = rooms.get(roomId);
    if (!data) rooms.set(roomId, (data = { accountData: [], ephemeral: [] }));
    return data;
  };
  for (const [roomId, events] of accountData.rooms) {
    if (!reportedRooms.has(roomId)) continue;
    const kept = events.filter((e) => matchesRoomEventFilter(filter?.room?.account_data, e, roomId));
    if (kept.length > 0) roomData(roomId).accountData.push(...kept);
  }
  for (const [roomId, event] of [...typing, ...fullReceipts, ...deltaReceipts]) {
    if (matchesRoomEventFilter(filter?.room?.ephemeral, event, roomId)) roomData(roomId).ephemeral.push(event);
  }
  return {
    accountData: accountData.global.filter((e) => matchesEventFilter(filter?.account_data, e)),
    presence: presence.filter((e) => matchesEventFilter(filter?.presence, e)),
    rooms,
  };
}

/** The parts of the sync response this module fills (structurally, sync's own types). */
export interface SyncResponseParts<J extends { ephemeral: { events: unknown[] }; account_data: { events: unknown[] } }> {
  account_data?: { events: unknown[] };
  presence?: { events: unknown[] };
  rooms: { join: Record<string, J>; leave: Record<string, { account_data: { events: unknown[] } }> };
}

/**
 * Puts the user data into a sync response: top-level account_data and presence, and per
 * room ephemeral and account_data. A joined room the response leaves out (nothing happened
 * in its timeline) but with user data to report is added through `quietRoom`. Returns how
 * many things were reported (0: an incremental sync may wait).
 */
export function addUserDataToSync<J extends { ephemeral: { events: unknown[] }; account_data: { events: unknown[] } }>(
  response: SyncResponseParts<J>,
  data: UserDataForSync,
  joinedRoomIds: ReadonlySet<string>,
  quietRoom: (roomId: string) => J,
): number {
  let reported = 0;
  if (data.accountData.length > 0) {
    response.account_data = { events: data.accountData };
    reported++;
  }
  if (data.presence.length > 0) {
    response.presence = { events: data.presence };
    reported++;
  }
  for (const [roomId, roomData] of data.rooms) {
    const left = response.rooms.leave[roomId];
    if (left) {
      if (roomData.accountData.length > 0) {
        left.account_data.events.push(...roomData.accountData);
        reported++;
      }
      continue;
    }
    if (!joinedRoomIds.has(roomId)) continue;
    let room = response.rooms.join[roomId];
    if (!room) response.rooms.join[roomId] = room = quietRoom(roomId);
    room.account_data.events.push(...roomData.accountData);
    room.ephemeral.events.push(...roomData.ephemeral);
    reported++;
  }
  return reported;
}
