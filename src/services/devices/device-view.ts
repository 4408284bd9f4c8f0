// A device as the client-server API shows it (absent fields are left out, not null).
import type { StoredDevice } from '../../storage/devices.ts';

export interface DeviceView {
  device_id: string;
  display_name?: string;
  last_seen_ip?: string;
  last_seen_ts?: number;
}

export function deviceView(device: StoredDevice): DeviceView {
  return {
    device_id: device.deviceId,
    ...(device.displayName !== null ? { display_name: device.displayName } : {}),
    ...(device.lastSeenIp !== null ? { last_seen_ip: device.lastSeenIp } : {}),
    ...(device.lastSeenTs !== null ? { last_seen_ts: device.lastSeenTs } : {}),
  };
}
