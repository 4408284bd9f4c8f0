// The write path of account data (client writes, tags, the fully read marker): store at the
// next account_data stream position, then wake the user's syncs.
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { modifyAccountData, putAccountData } from '../../storage/account-data.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { forgetIgnoreList } from '../push/ignore-lists-memo.ts';
import { IGNORED_USER_LIST } from './ignored-users.ts';

/** Memos derived from the entry that this shard must drop. */
function forgetDerived(tenant: TenantContext, userId: string, roomId: string | null, type: string): void {
  if (type === IGNORED_USER_LIST && roomId === null) forgetIgnoreList(tenant, userId);
}

export async function writeAccountData(tenant: TenantContext, userId: string, roomId: string | null, type: string, content: Record<string, unknown>): Promise<void> {
  await tenant.db.transaction().execute((trx) => putAccountData(trx, userId, roomId, type, content));
  forgetDerived(tenant, userId, roomId, type);
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
  forgetDerived(tenant, userId, roomId, type);
  tenant.notifier.notify([userId]);
  return true;
}
