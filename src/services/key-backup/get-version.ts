// GET /room_keys/version (the current backup) and GET /room_keys/version/{version}.
import { MatrixError } from '../../errors/matrix-error.ts';
import { currentBackupVersion } from '../../storage/key-backup.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { backupVersionView, existingBackupVersion } from './backup-versions.ts';

export async function getCurrentBackupVersion(tenant: TenantContext, userId: string): Promise<ReturnType<typeof backupVersionView>> {
  const current = await currentBackupVersion(tenant.db, userId);
  if (!current) throw new MatrixError('M_NOT_FOUND', 'No current backup version');
  return backupVersionView(current);
}

export async function getBackupVersion(tenant: TenantContext, userId: string, versionParam: string): Promise<ReturnType<typeof backupVersionView>> {
  return backupVersionView(await existingBackupVersion(tenant.db, userId, versionParam));
}
