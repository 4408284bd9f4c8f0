// DELETE /room_keys/keys[/{roomId}[/{sessionId}]] from any existing version. The etag
// changes when keys were deleted; deleting nothing changes nothing.
import { deleteBackedUpSessions, lockUserBackups, recordBackupChange, type SessionScope } from '../../storage/key-backup.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { existingBackupVersion } from './backup-versions.ts';
import type { BackupUpdateResult } from './put-keys.ts';

export async function deleteRoomKeys(tenant: TenantContext, userId: string, versionParam: string, scope: SessionScope): Promise<BackupUpdateResult> {
  return tenant.db.transaction().execute(async (trx) => {
    await lockUserBackups(trx, userId);
    const version = await existingBackupVersion(trx, userId, versionParam);
    const deleted = await deleteBackedUpSessions(trx, userId, version.version, scope);
    if (deleted === 0) return { etag: version.etag, count: version.count };
    return recordBackupChange(trx, userId, version.version, -deleted);
  });
}
