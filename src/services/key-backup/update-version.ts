// PUT /room_keys/version/{version}: replaces auth_data (e.g. new signatures); the algorithm
// cannot change and a version in the body must be the one in the path.
import { MatrixError } from '../../errors/matrix-error.ts';
import { lockUserBackups, updateBackupAuthData } from '../../storage/key-backup.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { BackupConfiguration } from './backup-bodies.ts';
import { existingBackupVersion } from './backup-versions.ts';

export async function updateBackupVersion(
  tenant: TenantContext,
  userId: string,
  versionParam: string,
  update: BackupConfiguration & { version?: string },
): Promise<Record<string, never>> {
  if (update.version !== undefined && update.version !== versionParam) {
    throw new MatrixError('M_INVALID_PARAM', 'The version in the body does not match the version in the path');
  }
  await tenant.db.transaction().execute(async (trx) => {
    await lockUserBackups(trx, userId);
    const version = await existingBackupVersion(trx, userId, versionParam);
    if (version.algorithm !== update.algorithm) throw new MatrixError('M_INVALID_PARAM', 'Algorithm does not match');
    await updateBackupAuthData(trx, userId, version.version, update.authData);
  });
  return {};
}
