// The presence served to clients, derived from the stored row and the clock (spec "Last
// active ago", "Idle timeout"): an `online` user inactive for 5 minutes is `unavailable`; a
// user neither active nor syncing for longer than the longest sync long-poll plus a minute
// is `offline`. These derived changes are computed when presence is read; they do not wake
// anyone's sync by themselves.
import type { PresenceState, StoredPresence } from '../../storage/presence.ts';

export const PRESENCE_STATES: readonly PresenceState[] = ['online', 'unavailable', 'offline'];

/** Inactive this long while `online`: `unavailable`. */
export const IDLE_TIMEOUT_MS = 5 * 60_000;
/** Active within this long while `online`: currently_active. */
export const CURRENTLY_ACTIVE_MS = 60_000;
/** Neither active nor syncing this long: `offline` (a sync long-poll lasts at most 5 minutes). */
export const GONE_TIMEOUT_MS = 6 * 60_000;

export interface PresenceContent {
  presence: PresenceState;
  last_active_ago?: number;
  currently_active?: boolean;
  status_msg?: string;
}

export function effectiveState(stored: StoredPresence | undefined, now: number): PresenceState {
  if (!stored || stored.state === 'offline') return 'offline';
  const seen = Math.max(stored.lastActiveTs ?? 0, stored.lastSyncTs ?? 0);
  if (now - seen > GONE_TIMEOUT_MS) return 'offline';
  if (stored.state === 'online' && (stored.lastActiveTs === null || now - stored.lastActiveTs > IDLE_TIMEOUT_MS)) return 'unavailable';
  return stored.state;
}

export function isCurrentlyActive(stored: StoredPresence | undefined, now: number): boolean {
  return effectiveState(stored, now) === 'online' && stored?.lastActiveTs != null && now - stored.lastActiveTs <= CURRENTLY_ACTIVE_MS;
}

/** The content of GET /presence/{userId}/status and of m.presence events (without profile). */
export function presenceContent(stored: StoredPresence | undefined, now: number): PresenceContent {
  const presence = effectiveState(stored, now);
  const content: PresenceContent = { presence };
  if (stored?.lastActiveTs != null) content.last_active_ago = Math.max(0, now - stored.lastActiveTs);
  if (presence === 'online') content.currently_active = isCurrentlyActive(stored, now);
  if (stored?.statusMsg != null) content.status_msg = stored.statusMsg;
  return content;
}
