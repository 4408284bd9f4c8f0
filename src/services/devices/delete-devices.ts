// DELETE /devices/{deviceId} and POST /delete_devices: behind user-interactive auth (the
// password), since a stolen access token must not be enough to lock the owner out.
// Devices that do not exist (or belong to someone else) are silently skipped.
import { createHash } from 'node:crypto';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';
import type { AccountDeps } from '../auth/deps.ts';
import { STAGE_PASSWORD, finishUiaSession, userInteractiveAuth } from '../auth/uia.ts';
import { forgetDeletedDevices, removeDevices } from './remove-devices.ts';

export async function deleteOwnDevices(
  tenant: TenantContext,
  deps: AccountDeps,
  requester: Requester,
  deviceIds: readonly string[],
  auth: unknown,
): Promise<Record<string, never>> {
  // The session authorises deleting exactly these devices.
  const digest = createHash('sha256').update(JSON.stringify([...new Set(deviceIds)].sort())).digest('base64url').slice(0, 22);
  const operation = `delete_devices:${digest}`;
  const uia = await userInteractiveAuth(tenant, deps, { operation, flows: [[STAGE_PASSWORD]], userId: requester.userId }, auth);
  const deleted = await tenant.db.transaction().execute(async (trx) => {
    await finishUiaSession(trx, uia.sessionId);
    return removeDevices(trx, requester.userId, { deviceIds });
  });
  forgetDeletedDevices(tenant, requester.userId, deleted);
  return {};
}
