// Every migration, listed statically so a release carries exactly its migrations and the
// order is explicit. Names sort in application order.
import type { Migration } from 'kysely/migration';
import * as control0001 from './control/0001_init.ts';
import * as tenant0001 from './tenant/0001_signing_keys.ts';
import * as tenant0003 from './tenant/0003_rooms.ts';

export const CONTROL_MIGRATIONS: Record<string, Migration> = {
  '0001_init': control0001,
};

export const TENANT_MIGRATIONS: Record<string, Migration> = {
  '0001_signing_keys': tenant0001,
  '0003_rooms': tenant0003,
};

export const LATEST_TENANT_MIGRATION = Object.keys(TENANT_MIGRATIONS).sort().at(-1) as string;
