// Send-to-device messages for users of other servers. They travel as m.direct_to_device
// EDUs over federation, which does not exist yet: until it does they are dropped (logged at
// debug). sendToDevice calls this once per new request, after the local part committed, so
// the federation sender slots in here (queue an EDU per destination, with a message ID).
import type { TenantContext } from '../../tenancy/context.ts';
import type { DeviceMessages } from './to-device-request.ts';

export function sendRemoteToDevice(
  tenant: TenantContext,
  message: { sender: string; type: string },
  byServer: ReadonlyMap<string, ReadonlyMap<string, DeviceMessages>>,
): void {
  for (const [destination, users] of byServer) {
    tenant.log.debug({ destination, users: users.size, type: message.type }, 'to-device messages for another server dropped: no federation yet');
  }
}
