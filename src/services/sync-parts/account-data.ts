// /sync's account data: the user's global account data and the per-room account data
// (m.tag, m.fully_read, client types) changed after the since position, up to the
// position of the response's token. Rooms in `fullRoomIds` (joined since the last sync) get
// all of their account data.
import { accountDataBetween } from '../../storage/account-data.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface AccountDataEvent {
  type: string;
  content: Record<string, unknown>;
}

export interface AccountDataSince {
  global: AccountDataEvent[];
  rooms: Map<string, AccountDataEvent[]>;
}

export async function accountDataSince(
  tenant: TenantContext,
  userId: string,
  since: number | null,
  upTo: number,
  options: { fullRoomIds?: ReadonlySet<string> } = {},
): Promise<AccountDataSince> {
  const fullRooms = options.fullRoomIds ?? new Set<string>();
  // Nothing written since the last sync and no room to send in full: nothing to read.
  if (since !== null && since >= upTo && fullRooms.size === 0) return { global: [], rooms: new Map() };
  const entries = await accountDataBetween(tenant.db, userId, fullRooms.size > 0 ? null : since, upTo);
  const result: AccountDataSince = { global: [], rooms: new Map() };
  for (const entry of entries) {
    const changed = since === null || entry.streamId > since;
    const event = { type: entry.type, content: entry.content };
    if (entry.roomId === null) {
      if (changed) result.global.push(event);
      continue;
    }
    if (!changed && !fullRooms.has(entry.roomId)) continue;
    let list = result.rooms.get(entry.roomId);
    if (!list) result.rooms.set(entry.roomId, (list = []));
    list.push(event);
  }
  return result;
}
