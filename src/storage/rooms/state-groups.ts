// State snapshots stored as deltas: a group holds only the entries that differ from its
// parent. Reading walks the chain (bounded by MAX_CHAIN, after which a full copy is written).
import type { Kysely, Transaction } from 'kysely';
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

export async function getStateGroupChainLength(db: Db, id: string): Promise<number> {
  const row = await db.selectFrom('state_groups').select('chain_length').where('id', '=', id).executeTakeFirstOrThrow();
  return row.chain_length;
}

/** The full state of a group. */
export async function loadStateGroup(db: Db, id: string): Promise<StateMap> {
  const chain: string[] = [];
  for (let current: string | null = id; current !== null && chain.length <= MAX_CHAIN + 1; ) {
    chain.push(current);
    const row: { prev_group: string | null } | undefined = await db
      .selectFrom('state_groups')
      .select('prev_group')
      .where('id', '=', current)
      .executeTakeFirst();
    current = row?.prev_group ?? null;
  }
  const rows = await db
    .selectFrom('state_group_entries')
    .select(['state_group', 'type', 'state_key', 'event_id'])
    .where('state_group', 'in', chain)
    .execute();
  // Apply from the root towards the group so nearer deltas win.
  const depthOf = new Map(chain.map((g, i) => [g, i]));
  rows.sort((a, b) => (depthOf.get(String(b.state_group)) ?? 0) - (depthOf.get(String(a.state_group)) ?? 0));
  const state: StateMap = new Map();
  for (const row of rows) state.set(stateKeyOf(row.type, row.state_key), row.event_id);
  return state;
}

export async function setEventState(trx: Transaction<TenantDatabase>, eventId: string, beforeGroup: string, afterGroup: string): Promise<void> {
  await trx.insertInto('event_state').values({ event_id: eventId, before_group: beforeGroup, after_group: afterGroup }).execute();
}

export async function getEventStateGroups(db: Db, eventId: string): Promise<{ before: string; after: string } | undefined> {
  const row = await db.selectFrom('event_state').select(['before_group', 'after_group']).where('event_id', '=', eventId).executeTakeFirst();
  return row ? { before: String(row.before_group), after: String(row.after_group) } : undefined;
}
