// Profile fields of local users, as membership events carry them (displayname, avatar_url).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface LocalProfile {
  displayname: string | null;
  avatarUrl: string | null;
  deactivated: boolean;
}

/** The profile of a local user; undefined when no such user exists. */
export async function getLocalProfile(db: Db, userId: string): Promise<LocalProfile | undefined> {
  const row = await db.selectFrom('users').select(['displayname', 'avatar_url', 'deactivated']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { displayname: row.displayname, avatarUrl: row.avatar_url, deactivated: row.deactivated } : undefined;
}

/** Sets a local user's displayname or avatar_url (null clears it). */
export async function setLocalProfileField(db: Db, userId: string, field: 'displayname' | 'avatar_url', value: string | null): Promise<void> {
  await db
    .updateTable('users')
    .set(field === 'displayname' ? { displayname: value } : { avatar_url: value })
    .where('user_id', '=', userId)
    .execute();
}

/** Profiles of several local users (unknown users are absent). */
export async function getLocalProfiles(db: Db, userIds: readonly string[]): Promise<Map<string, LocalProfile>> {
  const result = new Map<string, LocalProfile>();
  if (userIds.length === 0) return result;
  const rows = await db
    .selectFrom('users')
    .select(['user_id', 'displayname', 'avatar_url', 'deactivated'])
    .where('user_id', 'in', [...new Set(userIds)])
    .execute();
  for (const r of rows) result.set(r.user_id, { displayname: r.displayname, avatarUrl: r.avatar_url, deactivated: r.deactivated });
  return result;
}
