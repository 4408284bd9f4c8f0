// GET /profile/{userId} and GET /profile/{userId}/{displayname|avatar_url}. Profiles are
// public, as Synapse serves them by default (the spec lets servers answer any lookup).
// Only this tenant's users are known: remote users (federation queries are not implemented
// yet) and unknown users are 404 M_NOT_FOUND.
import { MatrixError } from '../../errors/matrix-error.ts';
import { getLocalProfile, type LocalProfile } from '../../storage/profiles.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { isLocalUser } from '../rooms/membership-event.ts';

export type ProfileField = 'displayname' | 'avatar_url';

async function requireProfile(tenant: TenantContext, userId: string): Promise<LocalProfile> {
  const profile = isLocalUser(tenant, userId) ? await getLocalProfile(tenant.db, userId) : undefined;
  if (!profile) throw new MatrixError('M_NOT_FOUND', 'Profile not found');
  return profile;
}

export async function getProfile(tenant: TenantContext, userId: string): Promise<{ displayname?: string; avatar_url?: string }> {
  const profile = await requireProfile(tenant, userId);
  return {
    ...(profile.displayname !== null ? { displayname: profile.displayname } : {}),
    ...(profile.avatarUrl !== null ? { avatar_url: profile.avatarUrl } : {}),
  };
}

/** One field; 404 M_NOT_FOUND when the user has not set it. */
export async function getProfileField(tenant: TenantContext, userId: string, field: ProfileField): Promise<Record<string, string>> {
  const profile = await requireProfile(tenant, userId);
  const value = field === 'displayname' ? profile.displayname : profile.avatarUrl;
  if (value === null) throw new MatrixError('M_NOT_FOUND', `The user has no ${field}`);
  return { [field]: value };
}
