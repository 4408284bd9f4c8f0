// GET /room_keys/keys[/{roomId}[/{sessionId}]] from any existing version (not only the
// current one). A room without keys is {"sessions": {}}, a backup without keys
// {"rooms": {}}; only a missing single session is 404.
import { MatrixError } from '../../errors/matrix-error.ts';
import { backedUpSessions, type BackedUpSession } from '../../storage/key-backup.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { existingBackupVersion } from './backup-versions.ts';

export interface KeyBackupDataView {
  first_message_index: number;
  forwarded_count: number;
  is_verified: boolean;
  session_data: Record<string, unknown>;
}

type SessionsView = Record<string, KeyBackupDataView>;

function keyView(session: BackedUpSession): KeyBackupDataView {
  return {
    first_message_index: session.firstMessageIndex,
    forwarded_count: session.forwardedCount,
    is_verified: session.isVerified,
    session_data: session.sessionData,
  };
}

/** Builds maps with Object.fromEntries: IDs become own properties even when one is
 * "__proto__" (an assignment would set the prototype and the key would vanish). */
function sessionsView(sessions: readonly BackedUpSession[]): SessionsView {
  return Object.fromEntries(sessions.map((s) => [s.sessionId, keyView(s)]));
}

export async function getAllRoomKeys(tenant: TenantContext, userId: string, versionParam: string): Promise<{ rooms: Record<string, { sessions: SessionsView }> }> {
  const version = await existingBackupVersion(tenant.db, userId, versionParam);
  const byRoom = new Map<string, BackedUpSession[]>();
  for (const session of await backedUpSessions(tenant.db, userId, version.version)) {
    const list = byRoom.get(session.roomId);
    if (list) list.push(session);
    else byRoom.set(session.roomId, [session]);
  }
  return { rooms: Object.fromEntries([...byRoom].map(([roomId, sessions]) => [roomId, { sessions: sessionsView(sessions) }])) };
}

export async function getRoomKeysOfRoom(tenant: TenantContext, userId: string, versionParam: string, roomId: string): Promise<{ sessions: SessionsView }> {
  const version = await existingBackupVersion(tenant.db, userId, versionParam);
  return { sessions: sessionsView(await backedUpSessions(tenant.db, userId, version.version, { roomId })) };
}

export async function getRoomKey(tenant: TenantContext, userId: string, versionParam: string, roomId: string, sessionId: string): Promise<KeyBackupDataView> {
  const version = await existingBackupVersion(tenant.db, userId, versionParam);
  const [session] = await backedUpSessions(tenant.db, userId, version.version, { roomId, sessionId });
  if (!session) throw new MatrixError('M_NOT_FOUND', 'No key found for this session');
  return keyView(session);
}
