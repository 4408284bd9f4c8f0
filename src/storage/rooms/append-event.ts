// Appends an event to its room in ONE statement (the send path's hot write): the room's
// head version advances (only from the version the caller built on: optimistic check), the
// tenant's event stream position is taken, and the event, its DAG edges, its state groups,
// the new forward extremities and whatever else must commit with it (current state, a
// redaction mark, persist hooks' rows: `alsoWrite`) are written. Data-modifying CTEs run as
// one statement, atomically even outside a transaction, so a message costs one round trip
// instead of a dozen. When the head version has moved (another shard wrote the room),
// nothing is written and the result is undefined.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';

export interface EventToAppend {
  eventId: string;
  roomId: string;
  pdu: Pdu;
  relatesTo?: { eventId: string; relType: string };
  txn?: { userId: string; deviceId: string; txnId: string };
  replacesState: string | null;
  stateGroupBefore: string;
  stateGroupAfter: string;
  /** The room's head version the event was built on. */
  headVersion: number;
}

/** What an additional write may use: `from` is a relation with one row when the event is
 * written (none otherwise), `position` the event's stream position (valid with `from`). */
export interface AppendedRow {
  from: RawBuilder<unknown>;
  position: RawBuilder<unknown>;
}

/** A data-modifying statement (INSERT/UPDATE/DELETE) written with the event. Tables must be
 * named with their schema (tenant.db's schema plugin does not reach raw SQL). */
export type AlsoWrite = (row: AppendedRow) => RawBuilder<unknown>;

const referenceIds = (refs: Pdu['prev_events']): string[] => refs.map((r) => (typeof r === 'string' ? r : r[0]));

/** The event's stream ordering, or undefined when the room's head version has moved. */
export async function appendEvent(
  db: Kysely<TenantDatabase> | Transaction<TenantDatabase>,
  schema: string,
  event: EventToAppend,
  alsoWrite: readonly AlsoWrite[] = [],
): Promise<number | undefined> {
  // The schema plugin of tenant.db does not reach into raw SQL: name the schema.
  const table = (name: string) => sql.table(`${schema}.${name}`);
  const { pdu } = event;
  const prevIds = referenceIds(pdu.prev_events);
  const authIds = referenceIds(pdu.auth_events);
  const changesState = pdu.state_key !== undefined;
  const result = await sql<{ position: string }>`
    WITH head AS (
      UPDATE ${table('rooms')}
      SET head_version = head_version + 1${changesState ? sql`, current_state_group = ${event.stateGroupAfter}` : sql``}
      WHERE room_id = ${event.roomId} AND head_version = ${event.headVersion}
      RETURNING room_id
    ), pos AS (
      UPDATE ${table('stream_positions')} SET position = position + 1
      WHERE stream = 'events' AND EXISTS (SELECT 1 FROM head)
      RETURNING position
    ), ev AS (
      INSERT INTO ${table('events')} (event_id, stream_ordering, room_id, type, state_key, sender, depth, origin_server_ts, pdu,
        relates_to_id, rel_type, txn_user_id, txn_device_id, txn_id, replaces_state)
      SELECT ${event.eventId}, pos.position, ${event.roomId}, ${pdu.type}, ${pdu.state_key ?? null}, ${pdu.sender}, ${pdu.depth},
        ${pdu.origin_server_ts}, ${JSON.stringify(pdu)}::jsonb, ${event.relatesTo?.eventId ?? null}, ${event.relatesTo?.relType ?? null},
        ${event.txn?.userId ?? null}, ${event.txn?.deviceId ?? null}, ${event.txn?.txnId ?? null}, ${event.replacesState}
      FROM pos
      RETURNING event_id
    ), edges AS (
      INSERT INTO ${table('event_edges')} (event_id, prev_event_id)
      SELECT ev.event_id, prev FROM ev, unnest(${prevIds}::text[]) AS prev
    ), auth AS (
      INSERT INTO ${table('event_auth')} (event_id, auth_event_id)
      SELECT ev.event_id, a FROM ev, unnest(${authIds}::text[]) AS a
    ), groups AS (
      INSERT INTO ${table('event_state')} (event_id, before_group, after_group)
      SELECT ev.event_id, ${event.stateGroupBefore}, ${event.stateGroupAfter} FROM ev
    ), dropped AS (
      DELETE FROM ${table('forward_extremities')}
      WHERE room_id = ${event.roomId} AND event_id = ANY(${prevIds}::text[]) AND EXISTS (SELECT 1 FROM ev)
    ), added AS (
      INSERT INTO ${table('forward_extremities')} (room_id, event_id)
      SELECT ${event.roomId}, ev.event_id FROM ev
      ON CONFLICT DO NOTHING
    )${sql.join(
      alsoWrite.map((write, i) => sql`, ${sql.raw(`also_${i}`)} AS (${write({ from: sql`pos`, position: sql`pos.position` })})`),
      sql``,
    )}
    SELECT position FROM pos
  `.execute(db);
  const row = result.rows[0];
  return row ? Number(row.position) : undefined;
}
