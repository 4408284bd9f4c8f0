// The write path of account data (client writes, tags, the fully read marker): store at the
// next account_data stream position, then wake the user's syncs.
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { modifyAccountData, putAccountData } from '../../storage/account-data.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export async function writeAccountData(tenant: TenantContext, userId: string, roomId: string | null, type: string, content: Record<string, unknown>): Promise<void> {
  await tenant.db.transaction().execute((trx) => putAccountData(trx, userId, roomId, type, content));
  tenant.notifier.notify([userId]);
}

/** Read-modify-write of one entry (see modifyAccountData); true when something was written. */
export async function updateAccountData(
  tenant: TenantContext,
  userId: string,
  roomId: string | null,
  type: string,
  modify: (current: Record<string, unknown> | undefined, trx: Transaction<TenantDatabase>) => Record<string, unknown> | undefined | Promise<Record<string, unknown> | undefined>,
): Promise<boolean> {
  const position = await tenant.db.transaction().execute((trx) => modifyAccountData(trx, userId, roomId, type, modify));
  if (position === undefined) return false;
  tenant.notifier.notify([userId]);
  return true;
}
