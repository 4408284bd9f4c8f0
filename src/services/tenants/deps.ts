import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ControlDatabase } from '../../db/schema-types.ts';

/** What tenant management needs: the root database and a way to tell every shard a tenant changed. */
export interface TenantAdminDeps {
  root: Kysely<ControlDatabase>;
  log: Logger;
  tenantChanged(tenantId: string): Promise<void>;
}
