// Shared by the membership operations (join, invite, leave, kick, ban, unban): the content
// of a membership event and sending it through the local send path.
import { MatrixError } from '../../errors/matrix-error.ts';
import { serverNameOf } from '../../protocol/ids.ts';
import { getLocalProfile } from '../../storage/profiles.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { createLocalEvent, type CreatedEvent } from './create-local-event.ts';

export type Membership = 'join' | 'invite' | 'leave' | 'ban' | 'knock';

/** Membership content; `profileOf` adds that local user's displayname and avatar_url. */
export async function membershipContent(
  tenant: TenantContext,
  membership: Membership,
  options: { reason?: string; profileOf?: string; extra?: Record<string, unknown> } = {},
): Promise<Record<string, unknown>> {
  const content: Record<string, unknown> = { ...(options.extra ?? {}), membership };
  if (options.profileOf !== undefined && isLocalUser(tenant, options.profileOf)) {
    const profile = await getLocalProfile(tenant.db, options.profileOf);
    if (profile?.displayname) content.displayname = profile.displayname;
    if (profile?.avatarUrl) content.avatar_url = profile.avatarUrl;
  }
  if (options.reason !== undefined) content.reason = options.reason;
  return content;
}

export function isLocalUser(tenant: TenantContext, userId: string): boolean {
  return serverNameOf(userId) === tenant.serverName;
}

/** Sends `sender`'s change of `target`'s membership; auth rule refusals are 403. */
export function sendMembership(tenant: TenantContext, roomId: string, sender: string, target: string, content: Record<string, unknown>): Promise<CreatedEvent> {
  return createLocalEvent(tenant, roomId, { type: 'm.room.member', stateKey: target, sender, content });
}

/** Room IDs in paths: anything else is 400 M_INVALID_PARAM. */
export function requireRoomIdSyntax(roomId: string): void {
  if (!roomId.startsWith('!') || Buffer.byteLength(roomId) > 255) throw new MatrixError('M_INVALID_PARAM', `${roomId} is not a room ID`);
}
