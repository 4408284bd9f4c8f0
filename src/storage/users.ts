// Local accounts (tenant table users).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredUser {
  userId: string;
  localpart: string;
  passwordHash: string | null;
  createdTs: number;
  deactivated: boolean;
  admin: boolean;
}

export async function getUser(db: Db, userId: string): Promise<StoredUser | undefined> {
  const row = await db
    .selectFrom('users')
    .select(['user_id', 'localpart', 'password_hash', 'created_ts', 'deactivated', 'admin'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    userId: row.user_id,
    localpart: row.localpart,
    passwordHash: row.password_hash,
    createdTs: Number(row.created_ts),
    deactivated: row.deactivated,
    admin: row.admin,
  };
}

export async function userExists(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('users').select('user_id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** Inserts a user; throws the database's unique violation (23505) when the ID is taken. */
export async function insertUser(
  db: Db,
  user: { userId: string; localpart: string; passwordHash: string | null; createdTs: number; admin?: boolean; userType?: string | null; displayname?: string | null },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      user_id: user.userId,
      localpart: user.localpart,
      password_hash: user.passwordHash,
      created_ts: user.createdTs,
      admin: user.admin ?? false,
      user_type: user.userType ?? null,
      displayname: user.displayname ?? null,
      avatar_url: null,
    })
    .execute();
}

export async function setPasswordHash(db: Db, userId: string, passwordHash: string | null): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('user_id', '=', userId).execute();
}

/** Marks a user deactivated and wipes the password; with `erase`, the profile too. */
export async function markDeactivated(db: Db, userId: string, ts: number, erase: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({
      deactivated: true,
      deactivated_ts: ts,
      password_hash: null,
      ...(erase ? { displayname: null, avatar_url: null } : {}),
    })
    .where('user_id', '=', userId)
    .execute();
}

/** Replaces the password hash only if it is still `expected` (an upgrade must not undo a change). */
export async function replacePasswordHash(db: Db, userId: string, expected: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('user_id', '=', userId).where('password_hash', '=', expected).execute();
}
