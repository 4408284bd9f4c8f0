// A tenant's effective configuration: stored settings with defaults filled in.
import { DEFAULT_ROOM_VERSION } from '../protocol/room-versions.ts';
import type { TenantRow } from '../db/schema-types.ts';
import type { TenantConfig } from './context.ts';

export function effectiveConfig(row: TenantRow, hosts: string[]): TenantConfig {
  const stored = row.config ?? {};
  const clientHostnames = hosts.filter((h) => h !== row.server_name);
  return {
    registration: row.registration,
    clientHostnames,
    // Clients reach a tenant at its first client hostname if it has one, else its server name.
    publicBaseUrl: stored.public_baseurl ?? `https://${clientHostnames[0] ?? row.server_name}`,
    wellKnownServer: stored.well_known_server ?? null,
    wellKnownClient: stored.well_known_client ?? {},
    defaultRoomVersion: stored.default_room_version ?? DEFAULT_ROOM_VERSION,
    rateLimits: stored.rate_limits ?? {},
  };
}
