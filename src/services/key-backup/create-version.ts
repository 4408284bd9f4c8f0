// POST /room_keys/version: a new backup, which becomes the current one.
import type { TenantContext } from '../../tenancy/context.ts';
import { insertBackupVersion, lockUserBackups } from '../../storage/key-backup.ts';
import type { BackupConfiguration } from './backup-bodies.ts';

export async function createBackupVersion(tenant: TenantContext, userId: string, config: BackupConfiguration, now = Date.now()): Promise<{ version: string }> {
  const version = await tenant.db.transaction().execute(async (trx) => {
    await lockUserBackups(trx, userId);
    return insertBackupVersion(trx, userId, config.algorithm, config.authData, now);
  });
  return { version: String(version) };
}
