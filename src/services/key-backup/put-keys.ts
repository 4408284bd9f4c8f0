// PUT /room_keys/keys[/{roomId}[/{sessionId}]]: stores session keys in the current backup.
// A session already stored is replaced only by a better key (replacement.ts); the etag
// changes exactly when something was written.
import {
  lockUserBackups,
  recordBackupChange,
  storedSessionMetadata,
  writeBackedUpSessions,
  type BackedUpSession,
} from '../../storage/key-backup.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { writableBackupVersion } from './backup-versions.ts';
import { shouldReplaceSessionKey } from './replacement.ts';

export interface BackupUpdateResult {
  etag: string;
  count: number;
}

function sessionKey(session: { roomId: string; sessionId: string }): string {
  return `${session.roomId}\u0000${session.sessionId}`;
}

export async function putRoomKeys(tenant: TenantContext, userId: string, versionParam: string, sessions: readonly BackedUpSession[]): Promise<BackupUpdateResult> {
  return tenant.db.transaction().execute(async (trx) => {
    await lockUserBackups(trx, userId);
    const version = await writableBackupVersion(trx, userId, versionParam);
    const pairs = sessions.map((s) => [s.roomId, s.sessionId] as const);
    const stored = new Map((await storedSessionMetadata(trx, userId, version.version, pairs)).map((s) => [sessionKey(s), s]));
    let added = 0;
    const toWrite = sessions.filter((session) => {
      const existing = stored.get(sessionKey(session));
      if (!existing) {
        added++;
        return true;
      }
      return shouldReplaceSessionKey(existing, session);
    });
    if (toWrite.length === 0) return { etag: version.etag, count: version.count };
    await writeBackedUpSessions(trx, userId, version.version, toWrite);
    return recordBackupChange(trx, userId, version.version, added);
  });
}
