// GET /pushers: the user's pushers as they were set.
import { listPushers as listStoredPushers } from '../../storage/push/pushers.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';

export interface PusherView {
  pushkey: string;
  kind: string;
  app_id: string;
  app_display_name: string;
  device_display_name: string;
  profile_tag?: string;
  lang: string;
  data: Record<string, unknown>;
}

export async function listPushers(tenant: TenantContext, viewer: Viewer): Promise<{ pushers: PusherView[] }> {
  const stored = await listStoredPushers(tenant.db, viewer.userId);
  return {
    pushers: stored.map((p) => ({
      pushkey: p.pushkey,
      kind: p.kind,
      app_id: p.appId,
      app_display_name: p.appDisplayName,
      device_display_name: p.deviceDisplayName,
      ...(p.profileTag !== null ? { profile_tag: p.profileTag } : {}),
      lang: p.lang,
      data: p.data,
    })),
  };
}
