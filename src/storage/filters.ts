// Sync filters uploaded by users (POST /user/{userId}/filter).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export async function insertFilter(db: Db, userId: string, filter: Record<string, unknown>, now: number): Promise<string> {
  const row = await db
    .insertInto('user_filters')
    .values({ user_id: userId, filter: JSON.stringify(filter), created_ts: now })
    .returning('filter_id')
    .executeTakeFirstOrThrow();
  return String(row.filter_id);
}

/** The filter, if it exists and belongs to the user. */
export async function getFilter(db: Db, userId: string, filterId: string): Promise<Record<string, unknown> | undefined> {
  if (!/^\d{1,18}$/.test(filterId)) return undefined;
  const row = await db.selectFrom('user_filters').select('filter').where('filter_id', '=', filterId).where('user_id', '=', userId).executeTakeFirst();
  return row?.filter;
}
