// POST /logout deletes the caller's device (and so its tokens); POST /logout/all deletes
// every device of the user.
import type { TenantContext } from '../../tenancy/context.ts';
import { removeDevicesNow } from '../devices/remove-devices.ts';
import type { Requester } from './authenticate.ts';

export async function logout(tenant: TenantContext, requester: Requester): Promise<Record<string, never>> {
  await removeDevicesNow(tenant, requester.userId, { deviceIds: [requester.deviceId] });
  return {};
}

export async function logoutAll(tenant: TenantContext, requester: Requester): Promise<Record<string, never>> {
  await removeDevicesNow(tenant, requester.userId, {});
  tenant.caches.accessTokens?.forgetUser(requester.userId);
  return {};
}
