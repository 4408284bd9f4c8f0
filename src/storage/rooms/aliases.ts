import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** Inserts an alias; false when it is taken. */
export async function insertAlias(db: Db, alias: { alias: string; roomId: string; creator: string; createdTs: number }): Promise<boolean> {
  const result = await db
    .insertInto('room_aliases')
    .values({ alias: alias.alias, room_id: alias.roomId, creator: alias.creator, created_ts: alias.createdTs })
    .onConflict((oc) => oc.column('alias').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function getAlias(db: Db, alias: string): Promise<{ roomId: string; creator: string } | undefined> {
  const row = await db.selectFrom('room_aliases').select(['room_id', 'creator']).where('alias', '=', alias).executeTakeFirst();
  return row ? { roomId: row.room_id, creator: row.creator } : undefined;
}

export async function deleteAlias(db: Db, alias: string): Promise<boolean> {
  const result = await db.deleteFrom('room_aliases').where('alias', '=', alias).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

export async function aliasesOfRoom(db: Db, roomId: string): Promise<string[]> {
  const rows = await db.selectFrom('room_aliases').select('alias').where('room_id', '=', roomId).orderBy('alias').execute();
  return rows.map((r) => r.alias);
}

/** Points every alias of one room at another (room upgrades). */
export async function moveAliases(db: Db, fromRoomId: string, toRoomId: string): Promise<void> {
  await db.updateTable('room_aliases').set({ room_id: toRoomId }).where('room_id', '=', fromRoomId).execute();
}
