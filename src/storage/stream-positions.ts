// Stream positions of a tenant (table stream_positions). nextPosition must run inside the
// transaction that writes the item: its row lock, held to commit, orders writers so
// positions become visible in order.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

/** events: the tenant's event stream ordering; account_data, receipts, presence: per-user
 * data (0005_user_data); to_device, device_lists: end-to-end encryption (0007, 0008). */
export type StreamName = 'events' | 'account_data' | 'receipts' | 'presence' | 'to_device' | 'device_lists';

export async function nextPosition(trx: Transaction<TenantDatabase>, stream: StreamName): Promise<number> {
  const row = await trx
    .updateTable('stream_positions')
    .set({ position: sql`position + 1` })
    .where('stream', '=', stream)
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

/** Locks the stream's position until commit without taking one: for a transaction that
 * must order itself with the stream's writers before it touches rows they touch too. */
export async function lockPosition(trx: Transaction<TenantDatabase>, stream: StreamName): Promise<void> {
  await trx.selectFrom('stream_positions').select('position').where('stream', '=', stream).forUpdate().execute();
}

export async function currentPosition(db: Kysely<TenantDatabase>, stream: StreamName): Promise<number> {
  const row = await db.selectFrom('stream_positions').select('position').where('stream', '=', stream).executeTakeFirst();
  return row ? Number(row.position) : 0;
}
