// Local user IDs: building them from usernames the way registration requires, and resolving
// what clients type at login (a localpart or a full user ID, any case) to a local user ID.
import { MatrixError } from '../../errors/matrix-error.ts';
import { isValidUserId, parseUserId } from '../../protocol/ids.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export function localUserId(tenant: Pick<TenantContext, 'serverName'>, localpart: string): string {
  return `@${localpart}:${tenant.serverName}`;
}

/** The localpart registration creates for a requested username: lower-cased (user IDs may
 * not differ only in case), then checked against the user ID grammar and the 255-byte limit.
 * Throws 400 M_INVALID_USERNAME. */
export function localpartForUsername(tenant: Pick<TenantContext, 'serverName'>, username: string): string {
  const localpart = username.toLowerCase();
  if (localpart.length === 0) throw new MatrixError('M_INVALID_USERNAME', 'The username must not be empty');
  if (!isValidUserId(localUserId(tenant, localpart))) {
    if (!/^[a-z0-9._=\-/+]+$/.test(localpart)) {
      throw new MatrixError('M_INVALID_USERNAME', 'A username may only contain a-z, 0-9, ".", "_", "=", "-", "/" and "+"');
    }
    throw new MatrixError('M_INVALID_USERNAME', 'The user ID would be longer than 255 bytes');
  }
  return localpart;
}

/** The local user ID a login identifier names (localpart or user ID, matched case-insensitively
 * on the localpart), or undefined when it cannot name a user of this tenant. */
export function resolveLocalUserId(tenant: Pick<TenantContext, 'serverName'>, user: string): string | undefined {
  if (user.startsWith('@')) {
    const parsed = parseUserId(user);
    if (!parsed || parsed.serverName.toLowerCase() !== tenant.serverName) return undefined;
    return localUserId(tenant, parsed.localpart.toLowerCase());
  }
  if (user.length === 0 || user.includes(':')) return undefined;
  return localUserId(tenant, user.toLowerCase());
}
