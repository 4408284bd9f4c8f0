// The send path caches each room's head (current state, extremities, state group) in memory
// (services/rooms/room-head.ts). head_version counts the events persisted in the room: the
// persist transaction advances it only from the version the cached head was built on, so a
// head made stale by another shard writing the same room is detected, never used.
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').addColumn('head_version', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are frozen in time
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('rooms').dropColumn('head_version').execute();
}
