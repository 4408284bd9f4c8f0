// POST /_matrix/client/v3/account/deactivate: after re-authentication (UIA) the account is
// marked deactivated for good (its ID is never reused), its password is wiped, and its
// devices, tokens, login tokens and UIA sessions are deleted. `erase` also clears the profile.
import { deleteUserLoginTokens } from '../../storage/login-tokens.ts';
import { deleteUserUiaSessions } from '../../storage/uia-sessions.ts';
import { markDeactivated } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';
import type { AccountDeps } from '../auth/deps.ts';
import { nowOf } from '../auth/deps.ts';
import { STAGE_PASSWORD, finishUiaSession, releaseSessionData, userInteractiveAuth } from '../auth/uia.ts';
import { removeDevices } from '../devices/remove-devices.ts';
import { deleteAllBackupsOfUser } from '../../storage/key-backup.ts';
import { leaveRoomsOfDeactivatedUser } from './deactivation-hooks.ts';

export async function deactivateAccount(
  tenant: TenantContext,
  deps: AccountDeps,
  requester: Requester,
  input: { erase: boolean; auth: unknown },
): Promise<{ id_server_unbind_result: 'success' }> {
  const { userId } = requester;
  const uia = await userInteractiveAuth(tenant, deps, { operation: 'deactivate', flows: [[STAGE_PASSWORD]], userId }, input.auth);
  await tenant.db.transaction().execute(async (trx) => {
    await finishUiaSession(trx, uia.sessionId);
    await markDeactivated(trx, userId, nowOf(deps), input.erase);
    await removeDevices(trx, userId, {});
    await deleteUserLoginTokens(trx, userId);
    // Server-side key backups are the user's encrypted room keys: gone with the account.
    await deleteAllBackupsOfUser(trx, userId);
    for (const data of await deleteUserUiaSessions(trx, userId)) await releaseSessionData(trx, data);
  });
  tenant.caches.accessTokens?.forgetUser(userId);
  await leaveRoomsOfDeactivatedUser(tenant, userId);
  tenant.log.info({ userId }, 'account deactivated');
  // No third-party identifiers are bound, so there is nothing to unbind.
  return { id_server_unbind_result: 'success' };
}
