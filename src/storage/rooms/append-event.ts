// Appends an event to its room in ONE statement (the send path's hot write): the room's
// head version and forward extremities advance (only from the version the caller built on:
// optimistic check), the tenant's event stream position is taken, and the event, its DAG
// edges, its state groups and whatever else must commit with it (current state, a
// redaction mark, persist hooks' rows: `alsoWrite`) are written. Data-modifying CTEs run as
// one statement, atomically even outside a transaction, so a message costs one round trip
// instead of a dozen. When the head version has moved (another shard wrote the room),
// nothing is written and the result is undefined.
//
// The statement's text depends only on the tenant schema and the kinds of the additional
// writes, so it is built once and then run with its values bound (no query builder per
// event: Kysely's build took ~10 % of the send path's main thread), and prepared once per
// connection.
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';
import { LOCK_NOT_AVAILABLE, type StatementRunner } from '../../db/pipeline.ts';
import { schemaTable } from '../../db/hot-statement.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';

export interface EventToAppend {
  eventId: string;
  roomId: string;
  pdu: Pdu;
  /** `pdu` as JSON, when the caller has it (stored as jsonb; any JSON form of the PDU). */
  pduJson?: string;
  relatesTo?: { eventId: string; relType: string };
  txn?: { userId: string; deviceId: string; txnId: string };
  replacesState: string | null;
  stateGroupBefore: string;
  stateGroupAfter: string;
  /** The room's head version the event was built on. */
  headVersion: number;
}

/** What an additional write's SQL may refer to. */
export interface AppendRefs {
  /** A table of the tenant's schema, quoted. */
  table(name: string): string;
  /** The placeholder of the write's i-th value (0-based). */
  value(i: number): string;
  /** A relation with one row when the event is written, none otherwise. */
  readonly written: string;
  /** The event's stream position (valid with `written`). */
  readonly position: string;
}

/** A data-modifying statement (INSERT/UPDATE/DELETE) written with the event. Writes of one
 * `kind` always produce the same SQL (it is part of the cached statement text); what
 * differs between events goes in `values`, bound as parameters. */
export interface AlsoWrite {
  readonly kind: string;
  sql(refs: AppendRefs): string;
  readonly values: readonly unknown[];
}

/** The event's own values ($1–$20, numbered as statementValues lists them); the writes'
 * values follow. */
const BASE_VALUES = 20;

function baseStatement(table: (name: string) => string): string {
  return `WITH head AS (
      UPDATE ${table('rooms')}
      SET head_version = head_version + 1,
        current_state_group = CASE WHEN $17::boolean THEN $16::bigint ELSE current_state_group END,
        forward_extremities = array_append(array(SELECT x FROM unnest(forward_extremities) AS x WHERE x <> ALL($19::text[])), $1)
      WHERE room_id = $2 AND head_version = $18
      RETURNING room_id
    ), pos AS (
      UPDATE ${table('stream_positions')} SET position = position + 1
      WHERE stream = 'events' AND EXISTS (SELECT 1 FROM head)
      RETURNING position
    ), ev AS (
      INSERT INTO ${table('events')} (event_id, stream_ordering, room_id, type, state_key, sender, depth, origin_server_ts, pdu,
        relates_to_id, rel_type, txn_user_id, txn_device_id, txn_id, replaces_state, prev_event_ids, auth_event_ids,
        state_group_before, state_group_after)
      SELECT $1, pos.position, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13, $14, $19::text[], $20::text[], $15, $16
      FROM pos
    )`;
}

/** Statement texts by schema and write kinds (a shard's active tenants × a few shapes). */
const texts = new BoundedMap<string, string>(8_000);

function statementText(schema: string, writes: readonly AlsoWrite[]): string {
  const key = `${schema}\u0000${writes.map((w) => w.kind).join('\u0000')}`;
  let text = texts.get(key);
  if (text !== undefined) return text;
  const table = schemaTable(schema);
  let next = BASE_VALUES + 1;
  const ctes = writes.map((write, i) => {
    const first = next;
    next += write.values.length;
    const sql = write.sql({ table, value: (n) => `$${first + n}`, written: 'pos', position: 'pos.position' });
    return `, also_${i} AS (${sql})`;
  });
  text = `${baseStatement(table)}${ctes.join('')}
    SELECT position FROM pos`;
  texts.set(key, text);
  return text;
}

const referenceIds = (refs: Pdu['prev_events']): string[] => refs.map((r) => (typeof r === 'string' ? r : r[0]));

function statementValues(event: EventToAppend, writes: readonly AlsoWrite[]): unknown[] {
  const { pdu } = event;
  return [
    event.eventId,
    event.roomId,
    pdu.type,
    pdu.state_key ?? null,
    pdu.sender,
    pdu.depth,
    pdu.origin_server_ts,
    event.pduJson ?? JSON.stringify(pdu),
    event.relatesTo?.eventId ?? null,
    event.relatesTo?.relType ?? null,
    event.txn?.userId ?? null,
    event.txn?.deviceId ?? null,
    event.txn?.txnId ?? null,
    event.replacesState,
    event.stateGroupBefore,
    event.stateGroupAfter,
    pdu.state_key !== undefined,
    event.headVersion,
    referenceIds(pdu.prev_events),
    referenceIds(pdu.auth_events),
    ...writes.flatMap((write) => write.values),
  ];
}

const isLockTimeout = (error: unknown): boolean => (error as { code?: unknown }).code === LOCK_NOT_AVAILABLE;

/** The event's stream ordering, or undefined when the room's head version has moved.
 * With `pipeline` (outside a transaction) the statement runs on the tenant's pipelined
 * connection; if it waited there too long for a lock, it runs again on the pool. */
export async function appendEvent(
  db: Kysely<TenantDatabase> | Transaction<TenantDatabase>,
  schema: string,
  event: EventToAppend,
  alsoWrite: readonly AlsoWrite[] = [],
  pipeline?: StatementRunner,
): Promise<number | undefined> {
  const text = statementText(schema, alsoWrite);
  const values = statementValues(event, alsoWrite);
  const onPool = async (): Promise<Array<{ position: string }>> => (await db.executeQuery<{ position: string }>(CompiledQuery.raw(text, values))).rows;
  const rows = pipeline
    ? await pipeline.run<{ position: string }>(text, values).catch((error: unknown) => {
        if (!isLockTimeout(error)) throw error;
        return onPool();
      })
    : await onPool();
  const row = rows[0];
  return row ? Number(row.position) : undefined;
}
