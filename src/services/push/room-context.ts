// What push rule evaluation needs to know about a room: its joined members (count, local
// members and their display names), its power levels (sender_notification_permission) and
// version. Read from current state and cached per room under the state group current state
// was at: a state group ID names one immutable state, so an entry is exact for events based
// on that group, and message events (which keep the group) read the room once per state
// change. An event based on another group than the current one (possible for remote events
// later) is evaluated against current state, the nearest approximation at hand.
import { parsePowerLevels, userPowerLevel } from '../../protocol/auth/index.ts';
import { parseUserId } from '../../protocol/ids.ts';
import { pushStateOfRoom } from '../../storage/push/event-context.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { roomVersionOf } from '../rooms/room-versions.ts';

export interface PushRoomContext {
  stateGroup: string;
  roomVersion: string;
  joinedCount: number;
  /** Joined members of this tenant → their display name in the room. */
  localMembers: Map<string, string | undefined>;
  notificationLevels: ReadonlyMap<string, number>;
  /** The create and power levels events (with event_id), for power level lookups. */
  authState: object[];
  /** Power levels of senders seen so far (memo). */
  senderLevels: Map<string, number>;
}

/** Rooms per tenant whose push context is kept. */
const MAX_CACHED_ROOMS = 1_000;

export function isLocalUser(tenant: TenantContext, userId: string): boolean {
  return parseUserId(userId)?.serverName === tenant.serverName;
}

/** The room's push context for an event based on `stateGroup` (see the header). */
export async function pushRoomContext(tenant: TenantContext, roomId: string, stateGroup: string): Promise<PushRoomContext | undefined> {
  tenant.caches.pushRoomContexts ??= new BoundedMap(MAX_CACHED_ROOMS);
  const cache = tenant.caches.pushRoomContexts;
  const cached = cache.get(roomId);
  if (cached && cached.stateGroup === stateGroup) return cached;
  const [version, { stateGroup: currentGroup, entries }] = await Promise.all([roomVersionOf(tenant, roomId), pushStateOfRoom(tenant.db, roomId)]);
  if (!version || currentGroup === null) return undefined;
  const localMembers = new Map<string, string | undefined>();
  const authState: object[] = [];
  let joinedCount = 0;
  let powerLevelsContent: unknown = {};
  for (const entry of entries) {
    if (entry.type === 'm.room.member') {
      joinedCount++;
      if (isLocalUser(tenant, entry.stateKey)) localMembers.set(entry.stateKey, entry.displayName ?? undefined);
    } else if (entry.pdu) {
      authState.push({ ...entry.pdu, event_id: entry.eventId });
      if (entry.type === 'm.room.power_levels') powerLevelsContent = entry.pdu.content;
    }
  }
  const context: PushRoomContext = {
    stateGroup: currentGroup,
    roomVersion: version.id,
    joinedCount,
    localMembers,
    notificationLevels: parsePowerLevels(powerLevelsContent, version.id).notifications,
    authState,
    senderLevels: new Map(),
  };
  cache.set(roomId, context);
  return context;
}

/** The sender's power level in the room (Infinity for v12 creators). */
export function senderPowerLevel(context: PushRoomContext, sender: string): number {
  let level = context.senderLevels.get(sender);
  if (level === undefined) {
    level = userPowerLevel(sender, context.authState, context.roomVersion);
    context.senderLevels.set(sender, level);
  }
  return level;
}
