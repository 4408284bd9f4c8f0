// Shared by the user data tests.
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';

/**
 * The tenant's context as the shard serves it now. Tests look it up at each use rather than
 * keeping one: a shard may drop and reload a tenant's context (e.g. after its change
 * listener reconnects), and in-memory state (notifier, typing) lives in the context.
 */
export async function currentContext(shard: TestShard, serverName: string): Promise<TenantContext> {
  const acquired = await shard.tenants.acquire(serverName);
  acquired.release();
  return acquired.context;
}
