// State snapshots stored as deltas: a group holds only the entries that differ from its
// parent. Reading walks the chain (bounded by MAX_CHAIN, after which a full copy is written).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** (type, state_key) → event ID. Keys are `${type}\u0000${stateKey}`. */
export type StateMap = Map<string, string>;

export const MAX_CHAIN = 64;

export function stateKeyOf(type: string, stateKey: string): string {
  return `${type}\u0000${stateKey}`;
}

export function splitStateKey(key: string): [type: string, stateKey: string] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), key.slice(i + 1)];
}

/** Stores a new group: the parent's state plus `delta`. Returns its id. */
export async function createStateGroup(
  trx: Transaction<TenantDatabase>,
  roomId: string,
  parent: { id: string; chainLength: number } | null,
  delta: StateMap,
  fullState: () => Promise<StateMap>,
): Promise<{ id: string; chainLength: number }> {
  const asDelta = parent !== null && parent.chainLength < MAX_CHAIN;
  const entries = asDelta ? delta : await fullState();
  const chainLength = asDelta ? parent.chainLength + 1 : 0;
  const { id } = await trx
    .insertInto('state_groups')
    .values({ room_id: roomId, prev_group: asDelta ? parent.id : null, chain_length: chainLength })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (entries.size > 0) {
    const rows = [...entries].map(([key, eventId]) => {
      const [type, stateKey] = splitStateKey(key);
      return { state_group: id, type, state_key: stateKey, event_id: eventId };
    });
    for (let i = 0; i < rows.length; i += 1000) await trx.insertInto('state_group_entries').values(rows.slice(i, i + 1000)).execute();
  }
  return { id, chainLength };
}

/** The full state of a group (one query; see loadStateGroups). */
export async function loadStateGroup(db: Db, id: string): Promise<StateMap> {
  return (await loadStateGroups(db, [id])).get(id) ?? new Map();
}

export async function getEventStateGroups(db: Db, eventId: string): Promise<{ before: string; after: string } | undefined> {
  return (await getEventsStateGroups(db, [eventId])).get(eventId);
}

/** Which entries of a state to read: every key of `types` ('all': of every type except
 * `exceptTypes`), plus the single keys in `keys`. Undefined: everything. */
export interface StateSelection {
  types: 'all' | readonly string[];
  exceptTypes?: readonly string[];
  keys?: ReadonlyArray<readonly [type: string, stateKey: string]>;
}

/**
 * The state of several groups in ONE query (a recursive walk of every group's delta chain;
 * the nearest entry per key wins), optionally restricted to some entries.
 */
export async function loadStateGroups(db: Db, groupIds: readonly string[], selection?: StateSelection): Promise<Map<string, StateMap>> {
  const result = new Map<string, StateMap>();
  const unique = [...new Set(groupIds)];
  for (const id of unique) result.set(id, new Map());
  if (unique.length === 0) return result;
  const keyTypes = (selection?.keys ?? []).map(([type]) => type);
  const keyStateKeys = (selection?.keys ?? []).map(([, stateKey]) => stateKey);
  let query = db
    .withRecursive('chain(origin, id, dist)', (qb) =>
      qb
        .selectFrom('state_groups')
        .select(['id as origin', 'id', sql<number>`0`.as('dist')])
        .where('id', 'in', unique)
        .unionAll((union) =>
          union
            .selectFrom('chain')
            .innerJoin('state_groups as sg', 'sg.id', 'chain.id')
            .select(['chain.origin', sql<string>`sg.prev_group`.as('id'), sql<number>`chain.dist + 1`.as('dist')])
            .where('sg.prev_group', 'is not', null)
            // Bounds a corrupt (cyclic) chain; real chains are at most MAX_CHAIN long.
            .where(sql<boolean>`chain.dist <= ${MAX_CHAIN + 1}`),
        ),
    )
    .selectFrom('chain')
    .innerJoin('state_group_entries as e', 'e.state_group', 'chain.id')
    .distinctOn(['chain.origin', 'e.type', 'e.state_key'])
    .select(['chain.origin', 'e.type', 'e.state_key', 'e.event_id']);
  if (selection) {
    const { types, exceptTypes = [], keys = [] } = selection;
    query = query.where((eb) => {
      const wanted = [];
      if (types === 'all') wanted.push(exceptTypes.length > 0 ? eb('e.type', 'not in', [...exceptTypes]) : sql<boolean>`true`);
      else if (types.length > 0) wanted.push(eb('e.type', 'in', [...types]));
      if (keys.length > 0) wanted.push(sql<boolean>`(e.type, e.state_key) in (select * from unnest(${keyTypes}::text[], ${keyStateKeys}::text[]))`);
      return wanted.length > 0 ? eb.or(wanted) : sql<boolean>`false`;
    });
  }
  const rows = await query.orderBy('chain.origin').orderBy('e.type').orderBy('e.state_key').orderBy('chain.dist').execute();
  for (const row of rows) result.get(String(row.origin))?.set(stateKeyOf(row.type, row.state_key), row.event_id);
  return result;
}

/** Before/after state groups of several events. */
export async function getEventsStateGroups(db: Db, eventIds: readonly string[]): Promise<Map<string, { before: string; after: string }>> {
  const result = new Map<string, { before: string; after: string }>();
  if (eventIds.length === 0) return result;
  const rows = await db
    .selectFrom('events')
    .select(['event_id', 'state_group_before', 'state_group_after'])
    .where('event_id', 'in', [...new Set(eventIds)])
    .where('state_group_before', 'is not', null)
    .execute();
  for (const row of rows) result.set(row.event_id, { before: String(row.state_group_before), after: String(row.state_group_after) });
  return result;
}

/** Per room: the state group after the room's last timeline event at or before `position`
 * (undefined when the room had no event yet). One query for all rooms. */
export async function stateGroupsAtPositions(
  db: Db,
  points: ReadonlyArray<{ roomId: string; position: number }>,
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  if (points.length === 0) return result;
  const input = sql`(select unnest(${points.map((p) => p.roomId)}::text[]) as room_id, unnest(${points.map((p) => String(p.position))}::bigint[]) as pos)`;
  const rows = await db
    .selectFrom(input.as('p'))
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('events as e')
          .select(['e.room_id', 'e.state_group_after as after_group'])
          .where(sql<boolean>`e.room_id = p.room_id and e.stream_ordering <= p.pos`)
          .where('e.outlier', '=', false)
          .where('e.soft_failed', '=', false)
          .where('e.state_group_after', 'is not', null)
          .orderBy('e.stream_ordering', 'desc')
          .limit(1)
          .as('last'),
      (join) => join.onTrue(),
    )
    .select(['last.room_id', 'last.after_group'])
    .execute();
  for (const row of rows) result.set(row.room_id, String(row.after_group));
  return result;
}
