// Who ignores an event's sender, for the push hook on every event: push evaluation skips
// users who ignore the sender. Each user's ignore list is remembered per tenant with when it
// was read, and read again (one query for all recipients of an event) once older than
// IGNORE_LISTS_RECHECK_MS; a write of the list on this shard drops it at once (see
// write-account-data.ts), one on another shard (a tenant briefly served by two) is seen
// within that time. Without it, every event read the recipients' account data.
import { ignoredUserListsOf } from '../../storage/push/event-context.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { ignoredUsersIn } from '../account-data/ignored-users.ts';

export const IGNORE_LISTS_RECHECK_MS = 5_000;
/** Users remembered per tenant. */
const MAX_ENTRIES = 10_000;

export interface RememberedIgnoreList {
  users: Set<string>;
  readAt: number;
}

/** Those of `userIds` who ignore `sender`. */
export async function usersIgnoringSender(tenant: TenantContext, userIds: readonly string[], sender: string, now = Date.now()): Promise<Set<string>> {
  const memo = (tenant.caches.ignoreLists ??= new BoundedMap(MAX_ENTRIES));
  const ignoring = new Set<string>();
  const unread: string[] = [];
  for (const userId of new Set(userIds)) {
    const known = memo.get(userId);
    if (known === undefined || now - known.readAt >= IGNORE_LISTS_RECHECK_MS) unread.push(userId);
    else if (known.users.has(sender)) ignoring.add(userId);
  }
  if (unread.length === 0) return ignoring;
  const lists = await ignoredUserListsOf(tenant, unread);
  for (const userId of unread) {
    const users = ignoredUsersIn(userId, lists.get(userId));
    memo.set(userId, { users, readAt: now });
    if (users.has(sender)) ignoring.add(userId);
  }
  return ignoring;
}

/** The user's ignore list changed on this shard. */
export function forgetIgnoreList(tenant: TenantContext, userId: string): void {
  tenant.caches.ignoreLists?.delete(userId);
}
