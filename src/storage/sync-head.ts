// What every /sync computation reads first, in ONE round trip (a sync is mostly a woken
// long-poll that delivers an event or two; each round trip costs both processes a socket
// write and read): the positions of the streams kept in stream_positions; the syncing
// device's key stock (unclaimed one-time keys per algorithm, algorithms of unused fallback
// keys), which every response carries; the user's memberships, each with whether the room
// had events since `since`; and the unread counts of the joined rooms that had, which are
// the rooms an incremental sync usually reports.
import { HotStatement, type TenantDb } from '../db/hot-statement.ts';
import type { UserMembership } from './rooms/current-state.ts';
import type { UnreadByThread } from './push/push-actions.ts';
import { MAIN_THREAD, READ_RECEIPT_TYPES, WHOLE_ROOM } from './push/read-marks.ts';
import { summarizeLongCounts } from './push/push-summaries.ts';
import { unreadCtes, unreadFromRows, type UnreadRow } from './push/unread-after-marks.ts';
import type { StreamName } from './stream-positions.ts';

export interface KeyStock {
  oneTimeKeys: Map<string, number>;
  unusedFallbacks: string[];
}

interface SyncStartRow {
  positions: Record<string, number> | null;
  one_time_keys: Record<string, number> | null;
  fallbacks: string[] | null;
  memberships: Array<{ room_id: string; membership: string | null; event_id: string; stream_ordering: number; membership_event_id: string | null; active: boolean }> | null;
  unread_rooms: string[];
  unread: UnreadRow[] | null;
}

/** SQL expressions a device's part is built from (parameters, or columns of a batch). */
interface SyncStartInputs {
  user: string;
  device: string;
  /** bigint; null for an initial sync. */
  since: string;
  receiptTypes: string;
  wholeRoom: string;
  main: string;
}

/** One device's part; `upto` (the events position) is the batch's, computed once. */
function syncStartSql(table: (name: string) => string, p: SyncStartInputs): string {
  return `
    WITH memberships AS MATERIALIZED (
      SELECT c.room_id, c.membership, c.event_id, c.stream_ordering, f.membership_event_id,
        (${p.since} IS NOT NULL AND EXISTS (
          SELECT 1 FROM ${table('events')} AS e
          WHERE e.room_id = c.room_id AND e.stream_ordering > ${p.since} AND e.stream_ordering <= (SELECT events FROM upto) AND NOT e.outlier
        )) AS active
      FROM ${table('current_state')} AS c
      LEFT JOIN ${table('forgotten_rooms')} AS f ON f.room_id = c.room_id AND f.user_id = ${p.user}
      WHERE c.type = 'm.room.member' AND c.state_key = ${p.user}
    ), active_joined AS MATERIALIZED (
      SELECT coalesce(array_agg(room_id), '{}'::text[]) AS rooms FROM memberships
      WHERE active AND membership = 'join' AND membership_event_id IS DISTINCT FROM event_id
    ), ${unreadCtes(table, { user: p.user, rooms: '(SELECT rooms FROM active_joined)::text[]', receiptTypes: p.receiptTypes, upTo: '(SELECT events FROM upto)', wholeRoom: p.wholeRoom, main: p.main })}
    SELECT
      (SELECT json_object_agg(algorithm, n) FROM (
        SELECT algorithm, count(*) AS n FROM ${table('one_time_keys')} WHERE user_id = ${p.user} AND device_id = ${p.device} GROUP BY algorithm
      ) AS k) AS one_time_keys,
      (SELECT json_agg(algorithm ORDER BY algorithm) FROM ${table('fallback_keys')} WHERE user_id = ${p.user} AND device_id = ${p.device} AND NOT used) AS fallbacks,
      (SELECT json_agg(m) FROM memberships AS m) AS memberships,
      (SELECT rooms FROM active_joined) AS unread_rooms,
      (SELECT json_agg(u) FROM unread AS u) AS unread`;
}

// The syncs of one tenant that start together (the members one event woke; often just
// one): per row of the arrays $2 users, $3 devices and $4 since positions (events; null for
// an initial sync), in one round trip. $1 streams, $5 receipt types that read, $6 the whole
// room's thread key, $7 main's.
// The stream positions are the batch's: read and encoded once, not per device.
const SYNC_STARTS = new HotStatement<SyncStartRow & { i: string }>(
  (table) => `
    WITH positions AS MATERIALIZED (
      SELECT stream, position FROM ${table('stream_positions')} WHERE stream = ANY($1::text[])
    ), upto AS MATERIALIZED (
      SELECT coalesce((SELECT position FROM positions WHERE stream = 'events'), 0) AS events
    ), positions_json AS MATERIALIZED (
      SELECT json_object_agg(stream, position) AS positions FROM positions
    )
    SELECT sync_batch.i, (SELECT positions FROM positions_json) AS positions, s.*
    FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS sync_batch(user_id, device_id, since, i),
    LATERAL (${syncStartSql(table, { user: 'sync_batch.user_id', device: 'sync_batch.device_id', since: 'sync_batch.since', receiptTypes: '$5::text[]', wholeRoom: '$6::text', main: '$7::text' })}) AS s`,
);

export interface SyncStart<S extends StreamName> {
  positions: Record<S, number>;
  keyStock: KeyStock;
  /** With `active`: the room had timeline events in (since, positions.events]. */
  memberships: Array<UserMembership & { active: boolean }>;
  /** Unread counts of the rooms in `unreadRooms` (the active joined rooms; absent rooms have none). */
  unread: UnreadByThread;
  unreadRooms: ReadonlySet<string>;
}

export interface SyncStartRequest {
  userId: string;
  deviceId: string;
  /** The since token's events position; undefined for an initial sync. */
  since: number | undefined;
}

/** How several devices of one tenant start a sync, in one round trip, in the order given. */
export async function syncStarts<S extends StreamName>(tenant: TenantDb, streams: readonly S[], requests: readonly SyncStartRequest[]): Promise<Array<SyncStart<S>>> {
  const rows = await SYNC_STARTS.run(tenant, [
    streams,
    requests.map((r) => r.userId),
    requests.map((r) => r.deviceId),
    requests.map((r) => r.since ?? null),
    READ_RECEIPT_TYPES,
    WHOLE_ROOM,
    MAIN_THREAD,
  ]);
  const byIndex = new Map(rows.map((row) => [Number(row.i), row]));
  return requests.map((request, i) => {
    const row = byIndex.get(i + 1);
    const start = fromRow(streams, row);
    if (row?.unread) summarizeLongCounts(tenant, request.userId, Number(row.positions?.['events'] ?? 0), row.unread);
    return start;
  });
}

function fromRow<S extends StreamName>(streams: readonly S[], row: SyncStartRow | undefined): SyncStart<S> {
  return {
    positions: positionsFrom(streams, Object.entries(row?.positions ?? {})),
    keyStock: {
      oneTimeKeys: new Map(Object.entries(row?.one_time_keys ?? {}).map(([algorithm, n]) => [algorithm, Number(n)])),
      unusedFallbacks: row?.fallbacks ?? [],
    },
    memberships: (row?.memberships ?? []).map((r) => ({
      roomId: r.room_id,
      membership: r.membership ?? 'leave',
      eventId: r.event_id,
      streamOrdering: Number(r.stream_ordering),
      forgotten: r.membership_event_id === r.event_id,
      active: r.active,
    })),
    unread: unreadFromRows(row?.unread ?? []),
    unreadRooms: new Set(row?.unread_rooms ?? []),
  };
}

const POSITIONS = new HotStatement<{ stream: string; position: string }>(
  (table) => `SELECT stream, position FROM ${table('stream_positions')} WHERE stream = ANY($1::text[])`,
);

/** Stream → position for each stream named (0 for those without one). */
function positionsFrom<S extends StreamName>(streams: readonly S[], found: Iterable<readonly [string, string | number]>): Record<S, number> {
  const positions = Object.fromEntries(streams.map((s) => [s, 0])) as Record<S, number>;
  for (const [stream, position] of found) positions[stream as S] = Number(position);
  return positions;
}

/** The positions of several streams (streams without a row are 0). */
export async function streamPositions<S extends StreamName>(tenant: TenantDb, streams: readonly S[]): Promise<Record<S, number>> {
  return positionsFrom(streams, (await POSITIONS.run(tenant, [streams])).map((row) => [row.stream, row.position] as const));
}
