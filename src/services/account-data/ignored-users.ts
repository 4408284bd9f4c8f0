// m.ignored_user_list (spec "Ignoring Users"): validated when set, and read by the code that
// hides ignored users' events and invites (sync, /messages) through ignoredUsers().
import { MatrixError } from '../../errors/matrix-error.ts';
import { isJsonObject } from '../../protocol/json-object.ts';
import { parseUserId } from '../../protocol/ids.ts';
import { getAccountData } from '../../storage/account-data.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export const IGNORED_USER_LIST = 'm.ignored_user_list';
/** Most users one list may ignore. */
export const MAX_IGNORED_USERS = 10_000;

/** `{ "ignored_users": { "<user ID>": {}, … } }`: 400 M_BAD_JSON / M_INVALID_PARAM otherwise. */
export function validateIgnoredUserList(content: Record<string, unknown>): void {
  const users = content.ignored_users;
  if (!isJsonObject(users)) throw new MatrixError('M_BAD_JSON', 'ignored_users must be an object of user IDs');
  const entries = Object.entries(users);
  if (entries.length > MAX_IGNORED_USERS) throw new MatrixError('M_INVALID_PARAM', `At most ${MAX_IGNORED_USERS} users can be ignored`);
  for (const [userId, value] of entries) {
    if (!parseUserId(userId)) throw new MatrixError('M_INVALID_PARAM', `${userId} in ignored_users is not a user ID`);
    if (!isJsonObject(value)) throw new MatrixError('M_BAD_JSON', `ignored_users.${userId} must be an object`);
  }
}

/** The users a stored m.ignored_user_list names (empty when none or when it is unusable). */
export function ignoredUsersIn(userId: string, content: Record<string, unknown> | undefined): Set<string> {
  const users = content?.ignored_users;
  if (!isJsonObject(users)) return new Set();
  return new Set(Object.keys(users).filter((id) => id !== userId));
}

/** The users `userId` ignores (empty when none or when the stored list is unusable). */
export async function ignoredUsers(tenant: TenantContext, userId: string): Promise<Set<string>> {
  return ignoredUsersIn(userId, await getAccountData(tenant.db, userId, null, IGNORED_USER_LIST));
}

/** Users whose lists stay remembered per tenant (for ignoredUsersAsOf). */
const MAX_REMEMBERED_LISTS = 1_000;

/**
 * ignoredUsers for a caller that has read the account-data stream's current position
 * (sync): the list is remembered with that position and reused while the stream has not
 * moved, since the list only changes by an account-data write, which moves it.
 */
export async function ignoredUsersAsOf(tenant: TenantContext, userId: string, accountDataPosition: number): Promise<Set<string>> {
  const lists = (tenant.caches.ignoredUsers ??= new BoundedMap(MAX_REMEMBERED_LISTS));
  const known = lists.get(userId);
  if (known && known.position === accountDataPosition) return known.users;
  const users = await ignoredUsers(tenant, userId);
  lists.set(userId, { position: accountDataPosition, users });
  return users;
}
