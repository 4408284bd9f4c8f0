// Looking up the backup version a request names, with the spec's errors.
import { MatrixError } from '../../errors/matrix-error.ts';
import { currentBackupVersion, findBackupVersion, type BackupVersion } from '../../storage/key-backup.ts';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Kysely, Transaction } from 'kysely';
import { parseBackupVersion } from './version-param.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export function unknownBackupVersion(): MatrixError {
  return new MatrixError('M_NOT_FOUND', 'Unknown backup version');
}

/** The version named by `versionParam` if it exists and is not deleted; 404 otherwise. */
export async function existingBackupVersion(db: Db, userId: string, versionParam: string): Promise<BackupVersion> {
  const number = parseBackupVersion(versionParam);
  const version = number === undefined ? undefined : await findBackupVersion(db, userId, number);
  if (!version || version.deleted) throw unknownBackupVersion();
  return version;
}

/**
 * The current version, which must be the one named: keys can only be written to the current
 * backup. No backup at all is 404 M_NOT_FOUND; any other version (older, deleted, unknown)
 * is 403 M_WRONG_ROOM_KEYS_VERSION with `current_version`.
 */
export async function writableBackupVersion(db: Db, userId: string, versionParam: string): Promise<BackupVersion> {
  const current = await currentBackupVersion(db, userId);
  if (!current) throw new MatrixError('M_NOT_FOUND', 'No current backup version');
  if (parseBackupVersion(versionParam) !== current.version) {
    throw new MatrixError('M_WRONG_ROOM_KEYS_VERSION', 'Wrong backup version', { extra: { current_version: String(current.version) } });
  }
  return current;
}

/** The version as GET /room_keys/version[/{version}] returns it. */
export function backupVersionView(version: BackupVersion): { algorithm: string; auth_data: Record<string, unknown>; count: number; etag: string; version: string } {
  return { algorithm: version.algorithm, auth_data: version.authData, count: version.count, etag: version.etag, version: String(version.version) };
}
