// What the send path needs of a room, read in four parallel queries when its cached head
// (services/rooms/room-head.ts) is missing: the room row, its current state, its forward
// extremities (with depth and content hash) and the chain length of its state group.
import { sql, type Kysely } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

export interface RoomHeadRows {
  roomVersion: string;
  headVersion: number;
  stateGroup: { id: string; chainLength: number } | null;
  state: Array<{ type: string; stateKey: string; eventId: string; membership: string | null }>;
  extremities: Array<{ eventId: string; depth: number; sha256: string }>;
}

export async function readRoomHead(db: Kysely<TenantDatabase>, roomId: string): Promise<RoomHeadRows | undefined> {
  const [room, state, extremities, chain] = await Promise.all([
    db.selectFrom('rooms').select(['room_version', 'current_state_group', 'head_version']).where('room_id', '=', roomId).executeTakeFirst(),
    db.selectFrom('current_state').select(['type', 'state_key', 'event_id', 'membership']).where('room_id', '=', roomId).execute(),
    db
      .selectFrom('rooms as r')
      .innerJoin('events as e', (join) => join.on(sql<boolean>`${sql.ref('e.event_id')} = ANY(${sql.ref('r.forward_extremities')})`))
      .select(['e.event_id', 'e.depth', sql<string | null>`${sql.ref('e.pdu')} -> 'hashes' ->> 'sha256'`.as('sha256')])
      .where('r.room_id', '=', roomId)
      .orderBy('e.depth', 'desc')
      .execute(),
    db
      .selectFrom('rooms as r')
      .innerJoin('state_groups as g', 'g.id', 'r.current_state_group')
      .select('g.chain_length')
      .where('r.room_id', '=', roomId)
      .executeTakeFirst(),
  ]);
  if (!room) return undefined;
  return {
    roomVersion: room.room_version,
    headVersion: Number(room.head_version),
    stateGroup: room.current_state_group === null ? null : { id: String(room.current_state_group), chainLength: chain?.chain_length ?? 0 },
    state: state.map((r) => ({ type: r.type, stateKey: r.state_key, eventId: r.event_id, membership: r.membership })),
    extremities: extremities.map((r) => ({ eventId: r.event_id, depth: Number(r.depth), sha256: r.sha256 ?? '' })),
  };
}

