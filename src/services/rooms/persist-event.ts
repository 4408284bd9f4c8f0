// Persists an authorised event atomically: the event and its edges, its state (a new state
// group for state events), current state, forward extremities and the persist hooks' rows.
// A message is one statement (storage/rooms/append-event.ts); a state event adds its state
// group first, in one transaction with it. Called inside the room's queue, so the room's
// current state group cannot change underneath (another shard's write is detected by the
// head version check; the caller builds again).
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { appendEvent, type AlsoWrite } from '../../storage/rooms/append-event.ts';
import { markRedactedWrite } from '../../storage/rooms/events.ts';
import { createStateGroup, loadStateGroup, loadStateGroups, stateKeyOf, type StateMap } from '../../storage/rooms/state-groups.ts';
import { setCurrentStateWrite } from '../../storage/rooms/current-state.ts';
import type { Kysely, Transaction } from 'kysely';
import type { StatementRunner } from '../../db/pipeline.ts';
import type { TxnKey } from './event-draft.ts';
import { prepareHookWrites } from './persist-hooks.ts';
import { recentEventsOf } from './recent-events.ts';
import { advanceRoomHead, dropRoomHead } from './room-head.ts';

/** The room's head did not hold where the event was built (another shard wrote the room, or
 * a message it was built behind failed): build again. */
export class StaleRoomHeadError extends Error {
  constructor(roomId: string) {
    super(`the head of room ${roomId} moved while an event was built`);
    this.name = 'StaleRoomHeadError';
  }
}

export interface EventToPersist {
  roomId: string;
  eventId: string;
  pdu: Pdu;
  /** The PDU as JSON, when the caller has encoded it already (saves encoding it again). */
  pduJson?: string;
  /** The room's current state group (null only for the create event). */
  stateGroupBefore: { id: string; chainLength: number } | null;
  prevEventIds: string[];
  txn?: TxnKey;
  /** A redaction the caller has judged applicable: marks this event ID redacted by it. */
  applyRedactionTo?: string;
  /** rooms.head_version the event was built on (0 for the create event). */
  headVersion: number;
  /** Current state before the event, when the caller has it (saves reading it). */
  currentState?: StateMap;
}

export interface PersistedEvent {
  eventId: string;
  streamOrdering: number;
  stateGroupAfter: { id: string; chainLength: number };
}

function relationOf(pdu: Pdu): { eventId: string; relType: string } | undefined {
  const relatesTo = (pdu.content as { 'm.relates_to'?: unknown })['m.relates_to'];
  if (typeof relatesTo !== 'object' || relatesTo === null) return undefined;
  const { rel_type: relType, event_id: eventId } = relatesTo as { rel_type?: unknown; event_id?: unknown };
  return typeof relType === 'string' && typeof eventId === 'string' ? { eventId, relType } : undefined;
}

interface StateGroupsOfEvent {
  before: { id: string; chainLength: number };
  after: { id: string; chainLength: number };
}

async function stateGroupsFor(trx: Transaction<TenantDatabase>, event: EventToPersist): Promise<StateGroupsOfEvent> {
  const roomId = event.roomId;
  const before = event.stateGroupBefore ?? (await createStateGroup(trx, roomId, null, new Map(), async () => new Map()));
  if (event.pdu.state_key === undefined) return { before, after: before };
  const delta: StateMap = new Map([[stateKeyOf(event.pdu.type, event.pdu.state_key), event.eventId]]);
  const after = await createStateGroup(trx, roomId, before, delta, async () => {
    const full = event.currentState ? new Map(event.currentState) : await loadStateGroup(trx, before.id);
    for (const [key, id] of delta) full.set(key, id);
    return full;
  });
  return { before, after };
}

/** The event that held this state key before (unsigned.replaces_state, prev_content). */
async function replacedStateEvent(trx: Transaction<TenantDatabase>, beforeGroup: string, type: string, stateKey: string): Promise<string | null> {
  const state = await loadStateGroups(trx, [beforeGroup], { types: [], keys: [[type, stateKey]] });
  return state.get(beforeGroup)?.get(stateKeyOf(type, stateKey)) ?? null;
}

/** An event whose write has begun: `committed` settles once it is stored (or failed). */
export interface PersistingEvent {
  committed: Promise<PersistedEvent>;
}

/**
 * Begins persisting an event. A message's statement is sent on the tenant's pipelined
 * connection and this returns at once, with the room's cached head already advanced past
 * the event: the room's next message can be built on it while this one commits (the
 * pipelined connection runs them in order). Should this one fail, the head is dropped and
 * the events built on it fail their head-version check (StaleRoomHeadError) and are built
 * again. A state event (its own transaction, on the pool) is written before this returns.
 */
export async function beginPersist(tenant: TenantContext, event: EventToPersist): Promise<PersistingEvent> {
  const { pdu, roomId } = event;
  // Persist hooks (push rules, …): computed before the write, written with the event.
  const hookWrites = await prepareHookWrites(tenant, { roomId, eventId: event.eventId, pdu, stateGroupBefore: event.stateGroupBefore?.id ?? null });
  const relation = relationOf(pdu);
  const isState = pdu.state_key !== undefined;
  /** Writes everything in one statement; `groups` are the state groups around the event. */
  const append = (db: Kysely<TenantDatabase> | Transaction<TenantDatabase>, groups: StateGroupsOfEvent, replacesState: string | null, pipeline?: StatementRunner): Promise<number | undefined> => {
    const alsoWrite: AlsoWrite[] = [];
    if (event.applyRedactionTo !== undefined) alsoWrite.push(markRedactedWrite(roomId, event.applyRedactionTo, event.eventId));
    if (pdu.state_key !== undefined) {
      const membership = pdu.type === 'm.room.member' ? (pdu.content as { membership?: unknown }).membership : undefined;
      alsoWrite.push(
        setCurrentStateWrite(roomId, { type: pdu.type, stateKey: pdu.state_key, eventId: event.eventId, membership: typeof membership === 'string' ? membership : null }),
      );
    }
    alsoWrite.push(...hookWrites);
    // One statement: head check, stream position (its row lock orders this tenant's writers
    // until commit), the event, its edges, state groups, extremities and the writes above.
    return appendEvent(
      db,
      tenant.schema,
      {
        eventId: event.eventId,
        roomId,
        pdu,
        ...(event.pduJson !== undefined ? { pduJson: event.pduJson } : {}),
        ...(relation ? { relatesTo: relation } : {}),
        ...(event.txn ? { txn: event.txn } : {}),
        replacesState,
        stateGroupBefore: groups.before.id,
        stateGroupAfter: groups.after.id,
        headVersion: event.headVersion,
      },
      alsoWrite,
      pipeline,
    );
  };
  const advanceHead = (stateGroupAfter: { id: string; chainLength: number }): void =>
    advanceRoomHead(tenant, roomId, {
      eventId: event.eventId,
      pdu,
      prevEventIds: event.prevEventIds,
      stateGroupAfter,
      builtOnVersion: event.headVersion,
      ...(event.applyRedactionTo !== undefined ? { redacted: event.applyRedactionTo } : {}),
    });
  /** After the commit: the event joins the tenant's recent-events log. */
  const stored = (streamOrdering: number | undefined, stateGroupAfter: { id: string; chainLength: number }, replacesState: string | null): PersistedEvent => {
    if (streamOrdering === undefined) throw new StaleRoomHeadError(roomId);
    const recent = recentEventsOf(tenant);
    recent.record({
      event: { eventId: event.eventId, streamOrdering, roomId, pdu, redactedBy: null, replacesState, ...(event.txn ? { txn: event.txn } : {}) },
      ...(relation ? { relatesTo: relation } : {}),
    });
    if (event.applyRedactionTo !== undefined) recent.markRedacted(event.applyRedactionTo, event.eventId);
    return { eventId: event.eventId, streamOrdering, stateGroupAfter };
  };
  const dropHead = (error: unknown): never => {
    dropRoomHead(tenant, roomId);
    throw error;
  };

  if (!isState && event.stateGroupBefore !== null) {
    // A message: no new state group, so the one statement is the whole write.
    const group = event.stateGroupBefore;
    const appending = append(tenant.db, { before: group, after: group }, null, tenant.pipeline);
    advanceHead(group);
    const committed = appending.then((streamOrdering) => stored(streamOrdering, group, null)).catch(dropHead);
    // The caller awaits it; until then a failure must not count as unhandled.
    committed.catch(() => undefined);
    return { committed };
  }
  try {
    const { streamOrdering, groups, replacesState } = await tenant.db.transaction().execute(async (trx) => {
      const groups = await stateGroupsFor(trx, event);
      const replacesState =
        pdu.state_key === undefined || event.stateGroupBefore === null
          ? null
          : event.currentState
            ? (event.currentState.get(stateKeyOf(pdu.type, pdu.state_key)) ?? null)
            : await replacedStateEvent(trx, event.stateGroupBefore.id, pdu.type, pdu.state_key);
      return { streamOrdering: await append(trx, groups, replacesState), groups, replacesState };
    });
    if (streamOrdering === undefined) throw new StaleRoomHeadError(roomId);
    advanceHead(groups.after);
    return { committed: Promise.resolve(stored(streamOrdering, groups.after, replacesState)) };
  } catch (error) {
    return dropHead(error);
  }
}

/** beginPersist, waiting for the commit. */
export async function persistEvent(tenant: TenantContext, event: EventToPersist): Promise<PersistedEvent> {
  return (await beginPersist(tenant, event)).committed;
}
