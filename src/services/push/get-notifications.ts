// GET /notifications: the events the user was notified about, newest first, paged by stream
// position (`next_token` is the position of the last one returned). `read` tells whether the
// user's read marks (receipts, own events) cover the notification.
import { MatrixError } from '../../errors/matrix-error.ts';
import type { PushAction } from '../../protocol/push/index.ts';
import { listNotifications } from '../../storage/push/push-actions.ts';
import { readMarks, readUpTo } from '../../storage/push/read-marks.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ClientEvent, Viewer } from '../rooms/client-event.ts';
import { serializeEventLists } from '../rooms/serialize-events.ts';

export const DEFAULT_NOTIFICATIONS_LIMIT = 20;
export const MAX_NOTIFICATIONS_LIMIT = 100;

export interface NotificationsRequest {
  /** `from`: a next_token of an earlier response. */
  from?: string;
  limit?: number;
  /** `only=highlight`. */
  onlyHighlight: boolean;
}

export interface Notification {
  actions: PushAction[];
  event: ClientEvent;
  read: boolean;
  room_id: string;
  ts: number;
}

export interface NotificationsResponse {
  notifications: Notification[];
  next_token?: string;
}

function parseFrom(from: string | undefined): number | undefined {
  if (from === undefined) return undefined;
  if (!/^(0|[1-9]\d{0,15})$/.test(from)) throw new MatrixError('M_INVALID_PARAM', 'from is not a token of this endpoint');
  return Number(from);
}

export async function getNotifications(tenant: TenantContext, viewer: Viewer, request: NotificationsRequest): Promise<NotificationsResponse> {
  const before = parseFrom(request.from);
  const limit = Math.min(Math.max(request.limit ?? DEFAULT_NOTIFICATIONS_LIMIT, 1), MAX_NOTIFICATIONS_LIMIT);
  const rows = await listNotifications(tenant.db, viewer.userId, { before, limit: limit + 1, onlyHighlight: request.onlyHighlight });
  const page = rows.slice(0, limit);
  const [marks, stored] = await Promise.all([
    readMarks(tenant.db, viewer.userId, page.map((n) => n.roomId)),
    getEvents(tenant.db, page.map((n) => n.eventId)),
  ]);
  const found = page.flatMap((n) => {
    const event = stored.get(n.eventId);
    return event ? [{ n, event }] : [];
  });
  // One list per event keeps the results aligned with `found` whatever serializing drops.
  const events = await serializeEventLists(tenant, found.map((f) => [f.event]), { viewer, omitRoomId: true });
  const notifications: Notification[] = [];
  found.forEach(({ n }, i) => {
    const event = events[i]?.[0];
    if (!event) return;
    notifications.push({
      actions: n.actions,
      event,
      read: n.streamOrdering <= readUpTo(marks, n.roomId, n.threadId),
      room_id: n.roomId,
      ts: n.notifiedTs,
    });
  });
  const last = page.at(-1);
  return rows.length > limit && last ? { notifications, next_token: String(last.streamOrdering) } : { notifications };
}
