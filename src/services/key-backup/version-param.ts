// Backup versions are opaque strings to clients; ours are the decimal numbers of
// key_backup_versions.version. Anything else names no backup.

/** Longest number accepted (stays a safe integer and a valid bigint). */
const VERSION_PATTERN = /^[1-9][0-9]{0,14}$/;

/** The version number a client's string names, or undefined when it names none. */
export function parseBackupVersion(value: string): number | undefined {
  return VERSION_PATTERN.test(value) ? Number(value) : undefined;
}
