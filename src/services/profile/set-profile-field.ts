// PUT /profile/{userId}/{displayname|avatar_url}: only the user themself. An empty string
// clears the field (null is refused, as the spec allows). A change is propagated as new
// join events in the user's rooms and as a presence update (see propagate-profile.ts).
import { MatrixError } from '../../errors/matrix-error.ts';
import { requireStorableString } from '../validation/storable-json.ts';
import { isValidServerName } from '../../protocol/server-name.ts';
import { getLocalProfile, setLocalProfileField } from '../../storage/profiles.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { ProfileField } from './get-profile.ts';
import { propagateProfileChange } from './propagate-profile.ts';

/** Longest display name, in characters (as Synapse). */
export const MAX_DISPLAYNAME_LENGTH = 256;
/** Longest avatar URL, in characters (as Synapse). */
export const MAX_AVATAR_URL_LENGTH = 1000;

const MEDIA_ID = /^[A-Za-z0-9_-]+$/;

/** An mxc:// URI: mxc://<server-name>/<media-id>. */
export function isMxcUri(value: string): boolean {
  if (!value.startsWith('mxc://')) return false;
  const rest = value.slice('mxc://'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return false;
  return isValidServerName(rest.slice(0, slash)) && MEDIA_ID.test(rest.slice(slash + 1));
}

/** The new value from the request body: a string, '' → null (cleared). */
export function profileValueOf(field: ProfileField, body: Record<string, unknown>): string | null {
  if (!Object.hasOwn(body, field)) throw new MatrixError('M_MISSING_PARAM', `${field} is required`);
  const value = body[field];
  if (typeof value !== 'string') throw new MatrixError('M_BAD_JSON', `${field} must be a string`);
  if (value === '') return null;
  requireStorableString(value, field);
  if (field === 'displayname') {
    if ([...value].length > MAX_DISPLAYNAME_LENGTH) throw new MatrixError('M_INVALID_PARAM', `displayname must be at most ${MAX_DISPLAYNAME_LENGTH} characters`);
  } else {
    if (value.length > MAX_AVATAR_URL_LENGTH) throw new MatrixError('M_INVALID_PARAM', `avatar_url must be at most ${MAX_AVATAR_URL_LENGTH} characters`);
    if (!isMxcUri(value)) throw new MatrixError('M_INVALID_PARAM', 'avatar_url must be an mxc:// URI');
  }
  return value;
}

export async function setProfileField(
  tenant: TenantContext,
  requesterId: string,
  userId: string,
  field: ProfileField,
  body: Record<string, unknown>,
): Promise<Record<string, never>> {
  if (requesterId !== userId) throw new MatrixError('M_FORBIDDEN', 'You can only change your own profile');
  const value = profileValueOf(field, body);
  const before = await getLocalProfile(tenant.db, userId);
  if (!before) throw new MatrixError('M_NOT_FOUND', 'Profile not found');
  const previous = field === 'displayname' ? before.displayname : before.avatarUrl;
  if (previous === value) return {};
  await setLocalProfileField(tenant.db, userId, field, value);
  await propagateProfileChange(tenant, userId);
  return {};
}
