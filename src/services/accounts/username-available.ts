// GET /_matrix/client/v3/register/available: is a username valid and free? Deactivated
// accounts keep their IDs, so their usernames stay taken.
import { MatrixError } from '../../errors/matrix-error.ts';
import { userExists } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { ensureRegistrationEnabled } from './register.ts';
import { localUserId, localpartForUsername } from './user-ids.ts';

export async function checkUsernameAvailable(tenant: TenantContext, username: string): Promise<{ available: true }> {
  ensureRegistrationEnabled(tenant);
  const localpart = localpartForUsername(tenant, username);
  if (await userExists(tenant.db, localUserId(tenant, localpart))) throw new MatrixError('M_USER_IN_USE', 'Desired user ID is already taken.');
  return { available: true };
}
