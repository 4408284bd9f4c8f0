// /sync's typing notifications: an m.typing event per room (of `roomIds`, the user's joined
// rooms) whose typing list changed after the since position; with since null (initial
// sync, or rooms joined since), rooms where someone is typing. The typing stream lives in
// memory (services/typing/typing-rooms.ts); its position is currentTypingPosition().
import type { TenantContext } from '../../tenancy/context.ts';
import { typingOf } from '../typing/typing-of.ts';

export interface TypingEvent {
  type: 'm.typing';
  content: { user_ids: string[] };
}

export function currentTypingPosition(tenant: TenantContext): number {
  return typingOf(tenant).position;
}

export function typingSince(tenant: TenantContext, roomIds: Iterable<string>, since: number | null): Map<string, TypingEvent> {
  const changed = typingOf(tenant).changedSince(roomIds, since, Date.now());
  return new Map([...changed].map(([roomId, userIds]) => [roomId, { type: 'm.typing' as const, content: { user_ids: userIds } }]));
}
