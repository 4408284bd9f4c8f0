// POST /_matrix/client/v3/account/password: a new password after re-entering the current
// one (UIA). With logout_devices (the default) every other device is signed out; the
// caller's own device and token stay valid.
import { setPasswordHash } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';
import type { AccountDeps } from '../auth/deps.ts';
import { hashPassword } from '../auth/password-hash.ts';
import { STAGE_PASSWORD, finishUiaSession, userInteractiveAuth } from '../auth/uia.ts';
import { forgetDeletedDevices, removeDevices } from '../devices/remove-devices.ts';
import { checkNewPassword } from './password-policy.ts';

export async function changePassword(
  tenant: TenantContext,
  deps: AccountDeps,
  requester: Requester,
  input: { newPassword: string; logoutDevices: boolean; auth: unknown },
): Promise<Record<string, never>> {
  checkNewPassword(input.newPassword);
  const uia = await userInteractiveAuth(tenant, deps, { operation: 'change_password', flows: [[STAGE_PASSWORD]], userId: requester.userId }, input.auth);
  const passwordHash = await hashPassword(input.newPassword, deps.settings.passwordHash);
  const deleted = await tenant.db.transaction().execute(async (trx) => {
    await finishUiaSession(trx, uia.sessionId);
    await setPasswordHash(trx, requester.userId, passwordHash);
    return input.logoutDevices ? removeDevices(trx, requester.userId, { keepDeviceId: requester.deviceId }) : [];
  });
  forgetDeletedDevices(tenant, requester.userId, deleted);
  tenant.log.info({ userId: requester.userId, devicesSignedOut: deleted.length }, 'password changed');
  return {};
}
