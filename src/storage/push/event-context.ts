// Reads of other modules' tables that push evaluation needs, one query each: the state of a
// room that rules look at, event relations (to find an event's thread) and ignore lists.
import { HotStatement, type TenantDb } from '../../db/hot-statement.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface PushStateEntry {
  type: string;
  stateKey: string;
  membership: string | null;
  eventId: string;
  /** The member's display name (member events). */
  displayName: string | null;
  /** The whole event (create and power levels events only). */
  pdu: Pdu | null;
}

/**
 * From the room's current state: joined members with their display names, and the create
 * and power levels events in full; with the state group that current state is (read in the
 * same statement, so the two agree).
 */
export async function pushStateOfRoom(db: Db, roomId: string): Promise<{ stateGroup: string | null; entries: PushStateEntry[] }> {
  const rows = await db
    .selectFrom('current_state as c')
    .innerJoin('events as e', 'e.event_id', 'c.event_id')
    .innerJoin('rooms as r', 'r.room_id', 'c.room_id')
    .select([
      'r.current_state_group',
      'c.type',
      'c.state_key',
      'c.membership',
      'c.event_id',
      sql<string | null>`case when jsonb_typeof(e.pdu -> 'content' -> 'displayname') = 'string' then e.pdu -> 'content' ->> 'displayname' end`.as('displayname'),
      sql<Pdu | null>`case when c.type <> 'm.room.member' then e.pdu end`.as('pdu'),
    ])
    .where('c.room_id', '=', roomId)
    .where((eb) =>
      eb.or([
        eb.and([eb('c.type', '=', 'm.room.member'), eb('c.membership', '=', 'join')]),
        eb.and([eb('c.type', 'in', ['m.room.create', 'm.room.power_levels']), eb('c.state_key', '=', '')]),
      ]),
    )
    .execute();
  const group = rows[0]?.current_state_group;
  return {
    stateGroup: group === undefined || group === null ? null : String(group),
    entries: rows.map((r) => ({ type: r.type, stateKey: r.state_key, membership: r.membership, eventId: r.event_id, displayName: r.displayname, pdu: r.pdu })),
  };
}

/** The relation (m.relates_to event and rel_type) of each known event among `eventIds`. */
export async function eventRelations(db: Db, eventIds: readonly string[]): Promise<Map<string, { relatesTo: string | null; relType: string | null }>> {
  const result = new Map<string, { relatesTo: string | null; relType: string | null }>();
  if (eventIds.length === 0) return result;
  const rows = await db.selectFrom('events').select(['event_id', 'relates_to_id', 'rel_type']).where('event_id', 'in', [...new Set(eventIds)]).execute();
  for (const row of rows) result.set(row.event_id, { relatesTo: row.relates_to_id, relType: row.rel_type });
  return result;
}

const IGNORED_USER_LISTS = new HotStatement<{ user_id: string; content: Record<string, unknown> }>(
  (table) => `SELECT user_id, content FROM ${table('account_data')} WHERE user_id = ANY($1::text[]) AND room_id = '' AND type = 'm.ignored_user_list'`,
);

/** The m.ignored_user_list content of those of `userIds` who have one (the push hook's memo
 * re-reads it every few seconds: a hot statement on the pipelined connection). */
export async function ignoredUserListsOf(tenant: TenantDb, userIds: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (userIds.length === 0) return new Map();
  const rows = await IGNORED_USER_LISTS.run(tenant, [[...new Set(userIds)]]);
  return new Map(rows.map((r) => [r.user_id, r.content]));
}
