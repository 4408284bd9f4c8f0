// GET /devices and GET /devices/{deviceId}.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getDevice, listDevices } from '../../storage/devices.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Requester } from '../auth/authenticate.ts';
import { deviceView, type DeviceView } from './device-view.ts';

export async function listOwnDevices(tenant: TenantContext, requester: Requester): Promise<{ devices: DeviceView[] }> {
  return { devices: (await listDevices(tenant.db, requester.userId)).map(deviceView) };
}

export async function getOwnDevice(tenant: TenantContext, requester: Requester, deviceId: string): Promise<DeviceView> {
  const device = await getDevice(tenant.db, requester.userId, deviceId);
  if (!device) throw new MatrixError('M_NOT_FOUND', 'No device with this ID');
  return deviceView(device);
}
