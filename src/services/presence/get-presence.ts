// GET /presence/{userId}/status: for the user themself and users sharing a room with them
// (403 for others); unknown and remote users are 404. A user who never set presence is
// offline.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getPresence } from '../../storage/presence.ts';
import { userExists } from '../../storage/users.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { isLocalUser } from '../rooms/membership-event.ts';
import { canSeePresence } from './presence-audience.ts';
import { presenceContent, type PresenceContent } from './presence-view.ts';

export async function getPresenceStatus(tenant: TenantContext, viewerId: string, userId: string): Promise<PresenceContent> {
  if (!isLocalUser(tenant, userId) || !(await userExists(tenant.db, userId))) throw new MatrixError('M_NOT_FOUND', 'Unknown user');
  if (!(await canSeePresence(tenant, viewerId, userId))) throw new MatrixError('M_FORBIDDEN', 'You are not allowed to see their presence');
  return presenceContent(await getPresence(tenant.db, userId), Date.now());
}
