// Stream positions of a tenant (table stream_positions). nextPosition must run inside the
// transaction that writes the item: its row lock, held to commit, orders writers so
// positions become visible in order.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

export type StreamName = 'events';

export async function nextPosition(trx: Transaction<TenantDatabase>, stream: StreamName): Promise<number> {
  const row = await trx
    .updateTable('stream_positions')
    .set({ position: sql`position + 1` })
    .where('stream', '=', stream)
    .returning('position')
    .executeTakeFirstOrThrow();
  return Number(row.position);
}

export async function currentPosition(db: Kysely<TenantDatabase>, stream: StreamName): Promise<number> {
  const row = await db.selectFrom('stream_positions').select('position').where('stream', '=', stream).executeTakeFirst();
  return row ? Number(row.position) : 0;
}
