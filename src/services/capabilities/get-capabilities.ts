// GET /capabilities (spec "Capabilities negotiation"): what this tenant's users may do.
// Every room version the server implements is stable; the default is the tenant's setting.
import { KNOWN_ROOM_VERSIONS } from '../../protocol/room-versions.ts';
import type { TenantContext } from '../../tenancy/context.ts';

interface Enabled {
  enabled: boolean;
}

export interface Capabilities {
  capabilities: {
    'm.change_password': Enabled;
    'm.room_versions': { default: string; available: Record<string, 'stable' | 'unstable'> };
    'm.set_displayname': Enabled;
    'm.set_avatar_url': Enabled;
    'm.3pid_changes': Enabled;
    'm.get_login_token': Enabled;
  };
}

export function getCapabilities(tenant: TenantContext): Capabilities {
  return {
    capabilities: {
      'm.change_password': { enabled: true },
      'm.room_versions': {
        default: tenant.config.defaultRoomVersion,
        available: Object.fromEntries(KNOWN_ROOM_VERSIONS.map((version) => [version, 'stable' as const])),
      },
      'm.set_displayname': { enabled: true },
      'm.set_avatar_url': { enabled: true },
      // No third-party identifiers (email, phone) are managed by this server.
      'm.3pid_changes': { enabled: false },
      // POST /_matrix/client/v1/login/get_token is served (after re-authentication).
      'm.get_login_token': { enabled: true },
    },
  };
}
