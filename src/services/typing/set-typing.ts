// PUT /rooms/{roomId}/typing/{userId}: only the user themself, only while joined to the
// room. `typing: true` lasts `timeout` milliseconds (default 30 s, at most 2 minutes) unless
// renewed or stopped. Room members' syncs wake when the room's list changes; starting to type
// counts as activity for presence.
import { MatrixError } from '../../errors/matrix-error.ts';
import { membershipInRoom } from '../../storage/rooms/current-state.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { requireRoomIdParam } from '../validation/room-id.ts';
import { markUserActive } from '../presence/mark-user-active.ts';
import { typingOf, wakeTypingRooms } from './typing-of.ts';

export const DEFAULT_TYPING_TIMEOUT_MS = 30_000;
export const MAX_TYPING_TIMEOUT_MS = 120_000;

export async function setTyping(
  tenant: TenantContext,
  requesterId: string,
  target: { roomId: string; userId: string },
  request: { typing: boolean; timeoutMs?: number },
): Promise<Record<string, never>> {
  if (requesterId !== target.userId) throw new MatrixError('M_FORBIDDEN', 'You can only set your own typing state');
  requireRoomIdParam(target.roomId);
  const membership = await membershipInRoom(tenant.db, target.roomId, target.userId);
  if (membership?.membership !== 'join') throw new MatrixError('M_FORBIDDEN', 'You are not joined to this room');
  const typing = typingOf(tenant);
  const now = Date.now();
  const changed = request.typing
    ? typing.start(target.roomId, target.userId, now + Math.min(request.timeoutMs ?? DEFAULT_TYPING_TIMEOUT_MS, MAX_TYPING_TIMEOUT_MS), now)
    : typing.stop(target.roomId, target.userId, now);
  if (changed) await wakeTypingRooms(tenant, [target.roomId]);
  if (request.typing) await markUserActive(tenant, target.userId);
  return {};
}
