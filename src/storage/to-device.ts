// Send-to-device messages (tables to_device_inbox, to_device_txns; 0008_to_device): the
// inboxes of local devices and the transaction IDs of requests already handled.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface ToDeviceTxnKey {
  userId: string;
  deviceId: string;
  eventType: string;
  txnId: string;
}

/** Records the transaction; false when it was recorded before (a retransmission). A
 * concurrent duplicate waits for the first to commit (unique key), then gets false. */
export async function claimToDeviceTxn(trx: Transaction<TenantDatabase>, key: ToDeviceTxnKey, now: number): Promise<boolean> {
  const row = await trx
    .insertInto('to_device_txns')
    .values({ user_id: key.userId, device_id: key.deviceId, event_type: key.eventType, txn_id: key.txnId, created_ts: now })
    .onConflict((oc) => oc.columns(['user_id', 'device_id', 'event_type', 'txn_id']).doNothing())
    .returning('txn_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deletes up to `limit` transactions recorded before `before` (oldest index entries first);
 * rows another pruner holds are skipped rather than waited for. Returns how many went. */
export async function pruneToDeviceTxns(db: Db, before: number, limit: number): Promise<number> {
  const result = await db
    .deleteFrom('to_device_txns')
    .where((eb) =>
      eb(
        eb.refTuple('user_id', 'device_id', 'event_type', 'txn_id'),
        'in',
        eb
          .selectFrom('to_device_txns')
          .select(['user_id', 'device_id', 'event_type', 'txn_id'])
          .where('created_ts', '<', String(before))
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .$asTuple('user_id', 'device_id', 'event_type', 'txn_id'),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The devices of these users, by user ID (users without devices are absent). */
export async function devicesOfUsers(db: Db, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (userIds.length === 0) return result;
  const rows = await db.selectFrom('devices').select(['user_id', 'device_id']).where('user_id', 'in', [...userIds]).orderBy('user_id').orderBy('device_id').execute();
  for (const row of rows) {
    const list = result.get(row.user_id);
    if (list) list.push(row.device_id);
    else result.set(row.user_id, [row.device_id]);
  }
  return result;
}

export interface ToDeviceDelivery {
  userId: string;
  deviceId: string;
  /** The content as JSON text (shared by every device a `*` entry reaches). */
  contentJson: string;
}

const INSERT_CHUNK = 1_000;

/** Puts the messages of one request into the devices' inboxes at `position`. A device that
 * is deleted meanwhile makes this fail with a foreign key violation (23503). */
export async function insertToDeviceMessages(
  trx: Transaction<TenantDatabase>,
  message: { sender: string; type: string; position: number },
  deliveries: readonly ToDeviceDelivery[],
): Promise<void> {
  for (let start = 0; start < deliveries.length; start += INSERT_CHUNK) {
    const rows = deliveries.slice(start, start + INSERT_CHUNK).map((d) => ({
      user_id: d.userId,
      device_id: d.deviceId,
      position: message.position,
      sender: message.sender,
      type: message.type,
      content: d.contentJson,
    }));
    await trx.insertInto('to_device_inbox').values(rows).execute();
  }
}

export interface StoredToDeviceMessage {
  position: number;
  sender: string;
  type: string;
  content: Record<string, unknown>;
}

/**
 * Deletes a device's messages up to and including `after` (acknowledged by its sync token;
 * positions start at 1, so 0 deletes nothing), then reads those after it up to and
 * including `upTo`, oldest first, at most `limit`. One statement: the ranges are disjoint,
 * so the read does not depend on the delete.
 */
export async function takeToDeviceInbox(db: Db, userId: string, deviceId: string, range: { after: number; upTo: number; limit: number }): Promise<StoredToDeviceMessage[]> {
  const rows = await db
    .with('acknowledged', (qb) =>
      qb.deleteFrom('to_device_inbox').where('user_id', '=', userId).where('device_id', '=', deviceId).where('position', '<=', String(range.after)).returning('position'),
    )
    .selectFrom('to_device_inbox')
    .select(['position', 'sender', 'type', 'content'])
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .where('position', '>', String(range.after))
    .where('position', '<=', String(range.upTo))
    .orderBy('position')
    .limit(range.limit)
    .execute();
  return rows.map((r) => ({ position: Number(r.position), sender: r.sender, type: r.type, content: r.content }));
}
