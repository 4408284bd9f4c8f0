// The write path shared by every push rule change: in one transaction, take the user's next
// rules version (its row lock serialises the user's changes), apply the change, and store the
// resulting ruleset as the m.push_rules account data event ("When a user changes their push
// rules a m.push_rules event is sent to all clients in the account_data section of their
// next /sync"). After commit: drop this shard's cached ruleset, wake the user's syncs.
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { putAccountData } from '../../storage/account-data.ts';
import { bumpRuleVersion, loadUserRules, type StoredUserRules } from '../../storage/push/push-rules.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { effectiveRules, forgetPushRules } from './rules-cache.ts';

export const PUSH_RULES_ACCOUNT_DATA = 'm.push_rules';

/** Runs `change` on the user's stored rules; a MatrixError it throws rolls everything back. */
export async function changePushRules<T>(
  tenant: TenantContext,
  userId: string,
  change: (trx: Transaction<TenantDatabase>, stored: StoredUserRules) => Promise<T>,
): Promise<T> {
  const result = await tenant.db.transaction().execute(async (trx) => {
    await bumpRuleVersion(trx, userId);
    const outcome = await change(trx, await loadUserRules(trx, userId));
    const rules = effectiveRules(userId, await loadUserRules(trx, userId));
    await putAccountData(trx, userId, null, PUSH_RULES_ACCOUNT_DATA, rules as unknown as Record<string, unknown>);
    return outcome;
  });
  forgetPushRules(tenant, userId);
  tenant.notifier.notify([userId]);
  return result;
}
