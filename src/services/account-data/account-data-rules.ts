// Rules shared by the account data endpoints: only the user themself; types the server
// manages (m.fully_read, m.push_rules) cannot be set by clients (405 M_BAD_JSON); room IDs
// must be room IDs (validation/room-id.ts); content of types the server reads (m.ignored_user_list) is validated.
import { MatrixError } from '../../errors/matrix-error.ts';
import { requireStorableJson, requireStorableString } from '../validation/storable-json.ts';
import { validateIgnoredUserList } from './ignored-users.ts';

/** Types only the server writes (spec "Account data: Server Behaviour"). */
export const SERVER_MANAGED_TYPES: ReadonlySet<string> = new Set(['m.fully_read', 'm.push_rules']);
/** Longest account data type, in bytes. */
export const MAX_TYPE_BYTES = 255;

export function requireOwnAccountData(requesterId: string, userId: string): void {
  if (requesterId !== userId) throw new MatrixError('M_FORBIDDEN', 'You can only access your own account data');
}

export function requireTypeParam(type: string): void {
  if (type.length === 0) throw new MatrixError('M_INVALID_PARAM', 'The account data type must not be empty');
  if (Buffer.byteLength(type) > MAX_TYPE_BYTES) throw new MatrixError('M_INVALID_PARAM', `The account data type must be at most ${MAX_TYPE_BYTES} bytes`);
  requireStorableString(type, 'The account data type', 'M_INVALID_PARAM');
}

/** Checks that clients may write this type with this content (global or room: `roomId`). */
export function checkClientWrite(type: string, content: Record<string, unknown>, roomId: string | null): void {
  requireStorableJson(content, 'The account data');
  if (SERVER_MANAGED_TYPES.has(type)) {
    throw new MatrixError('M_BAD_JSON', `Cannot set ${type} through this API`, { status: 405 });
  }
  if (type === 'm.ignored_user_list' && roomId === null) validateIgnoredUserList(content);
}
