// Pushers (table pushers): unique per (user, app_id, pushkey).
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredPusher {
  userId: string;
  appId: string;
  pushkey: string;
  kind: string;
  appDisplayName: string;
  deviceDisplayName: string;
  profileTag: string | null;
  lang: string;
  data: Record<string, unknown>;
  /** The device that set the pusher. */
  deviceId: string | null;
  createdTs: number;
}

export async function listPushers(db: Db, userId: string): Promise<StoredPusher[]> {
  const rows = await db.selectFrom('pushers').selectAll().where('user_id', '=', userId).orderBy('created_ts').orderBy('app_id').orderBy('pushkey').execute();
  return rows.map((r) => ({
    userId: r.user_id,
    appId: r.app_id,
    pushkey: r.pushkey,
    kind: r.kind,
    appDisplayName: r.app_display_name,
    deviceDisplayName: r.device_display_name,
    profileTag: r.profile_tag,
    lang: r.lang,
    data: r.data,
    deviceId: r.device_id,
    createdTs: Number(r.created_ts),
  }));
}

export async function countPushers(db: Db, userId: string): Promise<number> {
  const row = await db.selectFrom('pushers').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Creates or updates the user's pusher with this app ID and pushkey. */
export async function upsertPusher(trx: Transaction<TenantDatabase>, pusher: StoredPusher): Promise<void> {
  const values = {
    kind: pusher.kind,
    app_display_name: pusher.appDisplayName,
    device_display_name: pusher.deviceDisplayName,
    profile_tag: pusher.profileTag,
    lang: pusher.lang,
    data: JSON.stringify(pusher.data),
    device_id: pusher.deviceId,
  };
  await trx
    .insertInto('pushers')
    .values({ user_id: pusher.userId, app_id: pusher.appId, pushkey: pusher.pushkey, created_ts: pusher.createdTs, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'app_id', 'pushkey']).doUpdateSet(values))
    .execute();
}

/** Deletes the user's pusher; true when there was one. */
export async function deletePusher(db: Db, userId: string, appId: string, pushkey: string): Promise<boolean> {
  const result = await db.deleteFrom('pushers').where('user_id', '=', userId).where('app_id', '=', appId).where('pushkey', '=', pushkey).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Deletes the pushers with this app ID and pushkey of every user but `userId`. */
export async function deleteOthersPushers(trx: Transaction<TenantDatabase>, userId: string, appId: string, pushkey: string): Promise<number> {
  const result = await trx.deleteFrom('pushers').where('app_id', '=', appId).where('pushkey', '=', pushkey).where('user_id', '<>', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function pusherExists(db: Db, userId: string, appId: string, pushkey: string): Promise<boolean> {
  const row = await db.selectFrom('pushers').select('kind').where('user_id', '=', userId).where('app_id', '=', appId).where('pushkey', '=', pushkey).executeTakeFirst();
  return row !== undefined;
}
