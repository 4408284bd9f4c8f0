// The user directory: users a searcher may find, as Synapse does by default — everyone
// joined to a room the searcher is joined to, or to a room that is public (join rule) or
// world readable (history visibility) — with their profile where they are local users.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface DirectoryUser {
  userId: string;
  displayname: string | null;
  avatarUrl: string | null;
}

/** `text` as a LIKE pattern matching it literally anywhere (backslash is LIKE's escape). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The users visible to `searcherId` (deactivated local users excluded). With `terms`
 * (lower-case ASCII), only users whose user ID or display name contains every term,
 * compared after lower() — exact for ASCII terms whatever the database's locale; callers
 * with other terms filter the full list themselves.
 */
export async function visibleDirectoryUsers(db: Db, searcherId: string, terms?: readonly string[]): Promise<DirectoryUser[]> {
  const visibleRooms = db
    .selectFrom('current_state as cs')
    .innerJoin('events as e', 'e.event_id', 'cs.event_id')
    .select('cs.room_id')
    .where('cs.state_key', '=', '')
    .where((eb) =>
      eb.or([
        eb.and([eb('cs.type', '=', 'm.room.join_rules'), eb(sql<string>`e.pdu -> 'content' ->> 'join_rule'`, '=', 'public')]),
        eb.and([eb('cs.type', '=', 'm.room.history_visibility'), eb(sql<string>`e.pdu -> 'content' ->> 'history_visibility'`, '=', 'world_readable')]),
      ]),
    )
    .union(db.selectFrom('current_state').select('room_id').where('type', '=', 'm.room.member').where('state_key', '=', searcherId).where('membership', '=', 'join'));
  const candidates = db
    .selectFrom('current_state')
    .select('state_key as user_id')
    .distinct()
    .where('type', '=', 'm.room.member')
    .where('membership', '=', 'join')
    .where('room_id', 'in', visibleRooms);
  let query = db
    .selectFrom(candidates.as('v'))
    .leftJoin('users as u', 'u.user_id', 'v.user_id')
    .select(['v.user_id', 'u.displayname', 'u.avatar_url'])
    .where((eb) => eb.or([eb('u.deactivated', 'is', null), eb('u.deactivated', '=', false)]));
  for (const term of terms ?? []) {
    const pattern = containsPattern(term);
    query = query.where((eb) =>
      eb.or([eb(sql<string>`lower(v.user_id)`, 'like', pattern), eb(sql<string>`lower(coalesce(u.displayname, ''))`, 'like', pattern)]),
    );
  }
  const rows = await query.execute();
  return rows.map((r) => ({ userId: r.user_id, displayname: r.displayname, avatarUrl: r.avatar_url }));
}
