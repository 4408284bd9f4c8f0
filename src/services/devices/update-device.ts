// PUT /devices/{deviceId}: rename one of the caller's devices. Creating devices this way is
// reserved to application services, so an unknown device is 404.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getDevice, setDeviceDisplayName } from '../../storage/devices.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';

export async function updateOwnDevice(
  tenant: TenantContext,
  requester: Requester,
  deviceId: string,
  update: { displayName?: string },
): Promise<Record<string, never>> {
  const found =
    update.displayName === undefined
      ? (await getDevice(tenant.db, requester.userId, deviceId)) !== undefined
      : await setDeviceDisplayName(tenant.db, requester.userId, deviceId, update.displayName);
  if (!found) throw new MatrixError('M_NOT_FOUND', 'No device with this ID');
  return {};
}
