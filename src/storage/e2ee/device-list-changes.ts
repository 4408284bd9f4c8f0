// The device-list change stream (table device_list_changes, positions of the `device_lists`
// stream) and the membership reads that decide who hears of a change: everyone joined to a
// room the changed user is joined to, or the one user named in `only_for`.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

const DEPARTED = ['leave', 'ban'];

export interface DeviceListChange {
  userId: string;
  /** Only this user may learn of the change (null: everyone sharing a room). */
  onlyFor: string | null;
}

export async function insertDeviceListChanges(trx: Transaction<TenantDatabase>, streamId: number, changes: readonly DeviceListChange[]): Promise<void> {
  if (changes.length === 0) return;
  await trx
    .insertInto('device_list_changes')
    .values(changes.map((c) => ({ stream_id: streamId, user_id: c.userId, only_for: c.onlyFor })))
    .execute();
}

/**
 * Users whose device list changed in (after, upTo] and whom `viewerId` may hear of: the
 * viewer themselves, users currently joined to a room the viewer is joined to, and changes
 * addressed to the viewer alone. One query.
 */
export async function changedDeviceListsVisibleTo(db: Db, viewerId: string, after: number, upTo: number): Promise<string[]> {
  if (upTo <= after) return [];
  const rows = await db
    .selectFrom('device_list_changes as c')
    .select('c.user_id')
    .distinct()
    .where('c.stream_id', '>', String(after))
    .where('c.stream_id', '<=', String(upTo))
    .where((eb) =>
      eb.or([
        eb('c.only_for', '=', viewerId),
        eb.and([
          eb('c.only_for', 'is', null),
          eb.or([
            eb('c.user_id', '=', viewerId),
            eb.exists(
              eb
                .selectFrom('current_state as mine')
                .innerJoin('current_state as other', 'other.room_id', 'mine.room_id')
                .select(sql<number>`1`.as('one'))
                .where('mine.type', '=', 'm.room.member')
                .where('mine.state_key', '=', viewerId)
                .where('mine.membership', '=', 'join')
                .where('other.type', '=', 'm.room.member')
                .whereRef('other.state_key', '=', 'c.user_id')
                .where('other.membership', '=', 'join'),
            ),
          ]),
        ]),
      ]),
    )
    .execute();
  return rows.map((r) => r.user_id);
}

/**
 * Users who may have stopped sharing every room with the viewer in the events window
 * (after, upTo]: members whose membership in a room the viewer is joined to became
 * something other than join, and the members of rooms the viewer itself left. The caller
 * removes those who still share a room. One query.
 */
export async function departureCandidates(db: Db, viewerId: string, after: number, upTo: number): Promise<string[]> {
  if (upTo <= after) return [];
  const inWindow = (column: 'mine.stream_ordering' | 'other.stream_ordering') =>
    sql<boolean>`${sql.ref(column)} > ${String(after)} and ${sql.ref(column)} <= ${String(upTo)}`;
  const rows = await db
    .selectFrom('current_state as mine')
    .innerJoin('current_state as other', 'other.room_id', 'mine.room_id')
    .select('other.state_key as user_id')
    .distinct()
    .where('mine.type', '=', 'm.room.member')
    .where('mine.state_key', '=', viewerId)
    .where('other.type', '=', 'm.room.member')
    .where('other.state_key', '!=', viewerId)
    .where((eb) =>
      eb.or([
        // Someone left (or was kicked, banned) from a room the viewer is still in.
        eb.and([eb('mine.membership', '=', 'join'), eb('other.membership', 'in', DEPARTED), inWindow('other.stream_ordering')]),
        // The viewer left a room: its remaining members.
        eb.and([eb('mine.membership', 'in', DEPARTED), inWindow('mine.stream_ordering'), eb('other.membership', '=', 'join')]),
      ]),
    )
    .execute();
  return rows.map((r) => r.user_id);
}
