// Server-side key backups (tables key_backup_versions, key_backup_sessions; 0009_key_backup).
// Every write of a user's backups runs in a transaction that first takes lockUserBackups, so
// the choice of the current version, the replacement of stored sessions, etag and count
// never race between requests or shards.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** Namespace of the key backup advisory locks (first key of the two-key form). */
const KEY_BACKUP_LOCK_CLASS = 0x6b657962;

/** Rows per INSERT: 7 parameters a row stays far below PostgreSQL's 65 535. */
const SESSIONS_PER_INSERT = 500;

export interface BackupVersion {
  version: number;
  algorithm: string;
  authData: Record<string, unknown>;
  etag: string;
  count: number;
  deleted: boolean;
}

export interface BackedUpSession {
  roomId: string;
  sessionId: string;
  firstMessageIndex: number;
  forwardedCount: number;
  isVerified: boolean;
  sessionData: Record<string, unknown>;
}

/** Which sessions an operation covers: all of a version, one room's, or one session. */
export interface SessionScope {
  roomId?: string;
  sessionId?: string;
}

/** Serialises the writers of one user's backups until the transaction ends. User IDs name
 * their server, so they never collide across tenants. */
export async function lockUserBackups(trx: Transaction<TenantDatabase>, userId: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${KEY_BACKUP_LOCK_CLASS}, hashtext(${userId}))`.execute(trx);
}

const VERSION_COLUMNS = ['version', 'algorithm', 'auth_data', 'etag', 'key_count', 'deleted'] as const;

function toVersion(row: { version: string; algorithm: string; auth_data: Record<string, unknown>; etag: string; key_count: string; deleted: boolean }): BackupVersion {
  return {
    version: Number(row.version),
    algorithm: row.algorithm,
    authData: row.auth_data,
    etag: row.etag,
    count: Number(row.key_count),
    deleted: row.deleted,
  };
}

/** The user's current backup: the highest version not deleted. */
export async function currentBackupVersion(db: Db, userId: string): Promise<BackupVersion | undefined> {
  const row = await db
    .selectFrom('key_backup_versions')
    .select(VERSION_COLUMNS)
    .where('user_id', '=', userId)
    .where('deleted', '=', false)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toVersion(row);
}

/** One version of the user's backups, deleted or not. */
export async function findBackupVersion(db: Db, userId: string, version: number): Promise<BackupVersion | undefined> {
  const row = await db
    .selectFrom('key_backup_versions')
    .select(VERSION_COLUMNS)
    .where('user_id', '=', userId)
    .where('version', '=', String(version))
    .executeTakeFirst();
  return row && toVersion(row);
}

/** Creates the user's next version (one above every earlier one, deleted ones included). */
export async function insertBackupVersion(trx: Transaction<TenantDatabase>, userId: string, algorithm: string, authData: Record<string, unknown>, now: number): Promise<number> {
  const highest = await trx
    .selectFrom('key_backup_versions')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('user_id', '=', userId)
    .executeTakeFirst();
  const version = Number(highest?.max ?? 0) + 1;
  await trx
    .insertInto('key_backup_versions')
    .values({ user_id: userId, version, algorithm, auth_data: JSON.stringify(authData), created_ts: now })
    .execute();
  return version;
}

export async function updateBackupAuthData(trx: Transaction<TenantDatabase>, userId: string, version: number, authData: Record<string, unknown>): Promise<void> {
  await trx
    .updateTable('key_backup_versions')
    .set({ auth_data: JSON.stringify(authData) })
    .where('user_id', '=', userId)
    .where('version', '=', String(version))
    .execute();
}

/** Marks a version deleted and removes its keys (the row stays so its number is not reused). */
export async function markBackupVersionDeleted(trx: Transaction<TenantDatabase>, userId: string, version: number): Promise<void> {
  await trx.deleteFrom('key_backup_sessions').where('user_id', '=', userId).where('version', '=', String(version)).execute();
  await trx
    .updateTable('key_backup_versions')
    .set({ deleted: true, key_count: 0, etag: sql`etag + 1` })
    .where('user_id', '=', userId)
    .where('version', '=', String(version))
    .execute();
}

/** Records a change of the stored keys: a new etag, the count moved by `countDelta`. */
export async function recordBackupChange(trx: Transaction<TenantDatabase>, userId: string, version: number, countDelta: number): Promise<{ etag: string; count: number }> {
  const row = await trx
    .updateTable('key_backup_versions')
    .set({ etag: sql`etag + 1`, key_count: sql`key_count + ${countDelta}` })
    .where('user_id', '=', userId)
    .where('version', '=', String(version))
    .returning(['etag', 'key_count'])
    .executeTakeFirstOrThrow();
  return { etag: row.etag, count: Number(row.key_count) };
}

function toSession(row: {
  room_id: string;
  session_id: string;
  first_message_index: string;
  forwarded_count: string;
  is_verified: boolean;
  session_data: Record<string, unknown>;
}): BackedUpSession {
  return {
    roomId: row.room_id,
    sessionId: row.session_id,
    firstMessageIndex: Number(row.first_message_index),
    forwardedCount: Number(row.forwarded_count),
    isVerified: row.is_verified,
    sessionData: row.session_data,
  };
}

/** The stored sessions of a version within `scope`, ordered by room and session. */
export async function backedUpSessions(db: Db, userId: string, version: number, scope: SessionScope = {}): Promise<BackedUpSession[]> {
  let query = db
    .selectFrom('key_backup_sessions')
    .select(['room_id', 'session_id', 'first_message_index', 'forwarded_count', 'is_verified', 'session_data'])
    .where('user_id', '=', userId)
    .where('version', '=', String(version));
  if (scope.roomId !== undefined) query = query.where('room_id', '=', scope.roomId);
  if (scope.sessionId !== undefined) query = query.where('session_id', '=', scope.sessionId);
  const rows = await query.orderBy('room_id').orderBy('session_id').execute();
  return rows.map(toSession);
}

/** The stored metadata (without session_data) of the given (room, session) pairs. */
export async function storedSessionMetadata(
  trx: Transaction<TenantDatabase>,
  userId: string,
  version: number,
  pairs: readonly (readonly [string, string])[],
): Promise<Omit<BackedUpSession, 'sessionData'>[]> {
  const found: Omit<BackedUpSession, 'sessionData'>[] = [];
  for (let start = 0; start < pairs.length; start += SESSIONS_PER_INSERT) {
    const chunk = pairs.slice(start, start + SESSIONS_PER_INSERT);
    const rows = await trx
      .selectFrom('key_backup_sessions')
      .select(['room_id', 'session_id', 'first_message_index', 'forwarded_count', 'is_verified'])
      .where('user_id', '=', userId)
      .where('version', '=', String(version))
      .where((eb) => eb(eb.refTuple('room_id', 'session_id'), 'in', chunk.map(([room, session]) => eb.tuple(room, session))))
      .execute();
    for (const row of rows) {
      found.push({
        roomId: row.room_id,
        sessionId: row.session_id,
        firstMessageIndex: Number(row.first_message_index),
        forwardedCount: Number(row.forwarded_count),
        isVerified: row.is_verified,
      });
    }
  }
  return found;
}

/** Inserts or replaces sessions (the caller has decided which replacements to make). */
export async function writeBackedUpSessions(trx: Transaction<TenantDatabase>, userId: string, version: number, sessions: readonly BackedUpSession[]): Promise<void> {
  for (let start = 0; start < sessions.length; start += SESSIONS_PER_INSERT) {
    const rows = sessions.slice(start, start + SESSIONS_PER_INSERT).map((s) => ({
      user_id: userId,
      version,
      room_id: s.roomId,
      session_id: s.sessionId,
      first_message_index: s.firstMessageIndex,
      forwarded_count: s.forwardedCount,
      is_verified: s.isVerified,
      session_data: JSON.stringify(s.sessionData),
    }));
    await trx
      .insertInto('key_backup_sessions')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['user_id', 'version', 'room_id', 'session_id']).doUpdateSet((eb) => ({
          first_message_index: eb.ref('excluded.first_message_index'),
          forwarded_count: eb.ref('excluded.forwarded_count'),
          is_verified: eb.ref('excluded.is_verified'),
          session_data: eb.ref('excluded.session_data'),
        })),
      )
      .execute();
  }
}

/** Deletes the sessions of a version within `scope`; returns how many were deleted. */
export async function deleteBackedUpSessions(trx: Transaction<TenantDatabase>, userId: string, version: number, scope: SessionScope = {}): Promise<number> {
  let query = trx.deleteFrom('key_backup_sessions').where('user_id', '=', userId).where('version', '=', String(version));
  if (scope.roomId !== undefined) query = query.where('room_id', '=', scope.roomId);
  if (scope.sessionId !== undefined) query = query.where('session_id', '=', scope.sessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes every key of the user and marks all their versions deleted (for deactivation). */
export async function deleteAllBackupsOfUser(trx: Transaction<TenantDatabase>, userId: string): Promise<void> {
  await lockUserBackups(trx, userId);
  await trx.deleteFrom('key_backup_sessions').where('user_id', '=', userId).execute();
  await trx
    .updateTable('key_backup_versions')
    .set({ deleted: true, key_count: 0, etag: sql`etag + 1` })
    .where('user_id', '=', userId)
    .where('deleted', '=', false)
    .execute();
}
