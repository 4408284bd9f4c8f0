// DELETE /room_keys/version/{version}: the backup and all its keys. Deleting a version that
// was deleted before succeeds (spec); one that never existed is 404. An older version, if
// any, becomes the current one again.
import { lockUserBackups, findBackupVersion, markBackupVersionDeleted } from '../../storage/key-backup.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { unknownBackupVersion } from './backup-versions.ts';
import { parseBackupVersion } from './version-param.ts';

export async function deleteBackupVersion(tenant: TenantContext, userId: string, versionParam: string): Promise<Record<string, never>> {
  const number = parseBackupVersion(versionParam);
  if (number === undefined) throw unknownBackupVersion();
  await tenant.db.transaction().execute(async (trx) => {
    await lockUserBackups(trx, userId);
    const version = await findBackupVersion(trx, userId, number);
    if (!version) throw unknownBackupVersion();
    if (!version.deleted) await markBackupVersionDeleted(trx, userId, number);
  });
  return {};
}
