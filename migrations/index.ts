// Every migration, listed statically so a release carries exactly its migrations and the
// order is explicit. Names sort in application order.
import type { Migration } from 'kysely/migration';
import * as control0001 from './control/0001_init.ts';
import * as tenant0001 from './tenant/0001_signing_keys.ts';
import * as tenant0002 from './tenant/0002_accounts.ts';
import * as tenant0003 from './tenant/0003_rooms.ts';
import * as tenant0004 from './tenant/0004_client_rooms.ts';
import * as tenant0005 from './tenant/0005_user_data.ts';
import * as tenant0006 from './tenant/0006_push.ts';
import * as tenant0007 from './tenant/0007_e2ee_keys.ts';
import * as tenant0008 from './tenant/0008_to_device.ts';
import * as tenant0009 from './tenant/0009_key_backup.ts';
import * as tenant0010 from './tenant/0010_room_head.ts';
import * as tenant0011 from './tenant/0011_push_thread_index.ts';
import * as tenant0012 from './tenant/0012_lean_append.ts';
import * as tenant0013 from './tenant/0013_unread_indexes.ts';
import * as tenant0014 from './tenant/0014_push_summaries.ts';

export const CONTROL_MIGRATIONS: Record<string, Migration> = {
  '0001_init': control0001,
};

export const TENANT_MIGRATIONS: Record<string, Migration> = {
  '0001_signing_keys': tenant0001,
  '0002_accounts': tenant0002,
  '0003_rooms': tenant0003,
  '0004_client_rooms': tenant0004,
  '0005_user_data': tenant0005,
  '0006_push': tenant0006,
  '0007_e2ee_keys': tenant0007,
  '0008_to_device': tenant0008,
  '0009_key_backup': tenant0009,
  '0010_room_head': tenant0010,
  '0011_push_thread_index': tenant0011,
  '0012_lean_append': tenant0012,
  '0013_unread_indexes': tenant0013,
  '0014_push_summaries': tenant0014,
};

export const LATEST_TENANT_MIGRATION = Object.keys(TENANT_MIGRATIONS).sort().at(-1) as string;
