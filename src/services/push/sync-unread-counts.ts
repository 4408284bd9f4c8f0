// Puts unread counts into a /sync response's joined rooms: `unread_notifications` (the
// whole room, or the main timeline only when the filter sets unread_thread_notifications)
// and `unread_thread_notifications` (threads with unread notifications; omitted when none).
import type { TenantContext } from '../../tenancy/context.ts';
import { unreadCounts, type KnownUnreadCounts, type ThreadCounts } from './unread-counts.ts';

export interface RoomWithCounts {
  unread_notifications: ThreadCounts;
  unread_thread_notifications?: Record<string, ThreadCounts>;
}

export async function addUnreadCounts(
  tenant: TenantContext,
  userId: string,
  joined: Record<string, RoomWithCounts>,
  options: { perThread: boolean; upTo: number; known?: KnownUnreadCounts },
): Promise<void> {
  const counts = await unreadCounts(tenant, userId, Object.keys(joined), { upTo: options.upTo, ...(options.known ? { known: options.known } : {}) });
  for (const [roomId, room] of Object.entries(joined)) {
    const c = counts.get(roomId);
    if (!c) continue;
    if (!options.perThread) {
      room.unread_notifications = c.total;
      continue;
    }
    room.unread_notifications = c.main;
    if (c.threads.size > 0) room.unread_thread_notifications = Object.fromEntries(c.threads);
  }
}
