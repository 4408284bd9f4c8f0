import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface RoomRow {
  roomId: string;
  roomVersion: string;
  creator: string;
  createdTs: number;
  published: boolean;
  currentStateGroup: string | null;
}

export async function insertRoom(db: Db, room: { roomId: string; roomVersion: string; creator: string; createdTs: number }): Promise<void> {
  await db
    .insertInto('rooms')
    .values({ room_id: room.roomId, room_version: room.roomVersion, creator: room.creator, created_ts: room.createdTs })
    .execute();
}

export async function getRoom(db: Db, roomId: string): Promise<RoomRow | undefined> {
  const row = await db.selectFrom('rooms').selectAll().where('room_id', '=', roomId).executeTakeFirst();
  if (!row) return undefined;
  return { roomId: row.room_id, roomVersion: row.room_version, creator: row.creator, createdTs: Number(row.created_ts), published: row.published, currentStateGroup: row.current_state_group };
}

export async function setRoomPublished(db: Db, roomId: string, published: boolean): Promise<void> {
  await db.updateTable('rooms').set({ published }).where('room_id', '=', roomId).execute();
}

/** Room versions of several rooms (unknown rooms are absent). */
export async function getRoomVersions(db: Db, roomIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (roomIds.length === 0) return result;
  const rows = await db.selectFrom('rooms').select(['room_id', 'room_version']).where('room_id', 'in', [...new Set(roomIds)]).execute();
  for (const row of rows) result.set(row.room_id, row.room_version);
  return result;
}

/** Current state groups of several rooms. */
export async function getCurrentStateGroups(db: Db, roomIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (roomIds.length === 0) return result;
  const rows = await db.selectFrom('rooms').select(['room_id', 'current_state_group']).where('room_id', 'in', [...new Set(roomIds)]).execute();
  for (const row of rows) if (row.current_state_group !== null) result.set(row.room_id, String(row.current_state_group));
  return result;
}
