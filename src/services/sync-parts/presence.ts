// /sync's presence: m.presence events of the user and of everyone sharing a room with them,
// for presence changed after the since position (up to the token's position), plus users who
// became visible since (joined a shared room, or the user joined theirs — found through the
// events positions of the two tokens). An initial sync sends everyone visible who is not
// offline. Events carry the local user's displayname and avatar_url, as the spec's
// profile-change propagation asks.
import { getLocalProfiles } from '../../storage/profiles.ts';
import { presenceOfUsers, usersNewlySharingRooms, usersSharingRooms, type StoredPresence } from '../../storage/presence.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { presenceContent, type PresenceContent } from '../presence/presence-view.ts';

export interface PresenceEvent {
  type: 'm.presence';
  sender: string;
  content: PresenceContent & { displayname?: string; avatar_url?: string };
}

/** The user and everyone sharing a room with them. */
async function visibleUsers(tenant: TenantContext, userId: string): Promise<string[]> {
  const visible = await usersSharingRooms(tenant.db, userId);
  if (!visible.includes(userId)) visible.push(userId);
  return visible;
}

export interface PresenceWindow {
  /** Presence stream positions; since null: initial sync. */
  since: number | null;
  upTo: number;
  /** Events stream positions of the same tokens (to find users who became visible). */
  eventsSince: number | null;
  eventsUpTo: number;
}

export async function presenceSince(tenant: TenantContext, userId: string, window: PresenceWindow): Promise<PresenceEvent[]> {
  const now = Date.now();
  let rows: StoredPresence[];
  if (window.since === null) {
    const visible = await visibleUsers(tenant, userId);
    rows = (await presenceOfUsers(tenant.db, visible, null, window.upTo)).filter((p) => presenceContent(p, now).presence !== 'offline');
  } else {
    // Presence changes only when its stream moved; newcomers only when events were sent.
    rows = window.since < window.upTo ? await presenceOfUsers(tenant.db, await visibleUsers(tenant, userId), window.since, window.upTo) : [];
    if (window.eventsSince !== null && window.eventsSince < window.eventsUpTo) {
      const seen = new Set(rows.map((r) => r.userId));
      const newcomers = (await usersNewlySharingRooms(tenant.db, userId, window.eventsSince, window.eventsUpTo)).filter((id) => !seen.has(id));
      rows.push(...(await presenceOfUsers(tenant.db, newcomers, null, window.upTo)));
    }
  }
  if (rows.length === 0) return [];
  const profiles = await getLocalProfiles(tenant.db, rows.map((r) => r.userId));
  return rows
    .sort((a, b) => a.streamId - b.streamId)
    .map((row) => {
      const profile = profiles.get(row.userId);
      return {
        type: 'm.presence' as const,
        sender: row.userId,
        content: {
          ...presenceContent(row, now),
          ...(profile?.displayname != null ? { displayname: profile.displayname } : {}),
          ...(profile?.avatarUrl != null ? { avatar_url: profile.avatarUrl } : {}),
        },
      };
    });
}
