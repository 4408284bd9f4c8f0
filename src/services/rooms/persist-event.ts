// Persists an authorised event in ONE transaction: the event and its edges, its state
// (a new state group for state events), current state, forward extremities. Called inside
// the room's queue, so the room's current state group cannot change underneath.
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { nextPosition } from '../../storage/stream-positions.ts';
import { insertEvent, markRedacted, replaceForwardExtremities } from '../../storage/rooms/events.ts';
import { createStateGroup, loadStateGroup, loadStateGroups, setEventState, stateKeyOf, type StateMap } from '../../storage/rooms/state-groups.ts';
import { setCurrentState } from '../../storage/rooms/current-state.ts';
import { setCurrentStateGroup } from '../../storage/rooms/rooms.ts';
import type { Transaction } from 'kysely';
import type { TxnKey } from './event-draft.ts';
import { prepareHookWrites, runHookWrites } from './persist-hooks.ts';

export interface EventToPersist {
  roomId: string;
  eventId: string;
  pdu: Pdu;
  /** The room's current state group (null only for the create event). */
  stateGroupBefore: { id: string; chainLength: number } | null;
  prevEventIds: string[];
  txn?: TxnKey;
  /** A redaction the caller has judged applicable: marks this event ID redacted by it. */
  applyRedactionTo?: string;
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

async function stateGroupsFor(
  trx: Transaction<TenantDatabase>,
  event: EventToPersist,
): Promise<{ before: { id: string; chainLength: number }; after: { id: string; chainLength: number } }> {
  const roomId = event.roomId;
  const before = event.stateGroupBefore ?? (await createStateGroup(trx, roomId, null, new Map(), async () => new Map()));
  if (event.pdu.state_key === undefined) return { before, after: before };
  const delta: StateMap = new Map([[stateKeyOf(event.pdu.type, event.pdu.state_key), event.eventId]]);
  const after = await createStateGroup(trx, roomId, before, delta, async () => {
    const full = await loadStateGroup(trx, before.id);
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

export async function persistEvent(tenant: TenantContext, event: EventToPersist): Promise<PersistedEvent> {
  const { pdu, roomId } = event;
  // Persist hooks (push rules, …): computed before the transaction, written inside it.
  const hookWrites = await prepareHookWrites(tenant, { roomId, eventId: event.eventId, pdu, stateGroupBefore: event.stateGroupBefore?.id ?? null });
  return tenant.db.transaction().execute(async (trx) => {
    const groups = await stateGroupsFor(trx, event);
    const replacesState = pdu.state_key === undefined || event.stateGroupBefore === null ? null : await replacedStateEvent(trx, event.stateGroupBefore.id, pdu.type, pdu.state_key);
    // Taken last-but-early: the row lock orders concurrent writers of this tenant until commit.
    const streamOrdering = await nextPosition(trx, 'events');
    await insertEvent(trx, { eventId: event.eventId, roomId, pdu, streamOrdering, relatesTo: relationOf(pdu), txn: event.txn, replacesState });
    if (event.applyRedactionTo !== undefined) await markRedacted(trx, roomId, event.applyRedactionTo, event.eventId);
    await setEventState(trx, event.eventId, groups.before.id, groups.after.id);
    await replaceForwardExtremities(trx, roomId, event.prevEventIds, event.eventId);
    if (pdu.state_key !== undefined) {
      const membership = pdu.type === 'm.room.member' ? (pdu.content as { membership?: unknown }).membership : undefined;
      await setCurrentState(trx, roomId, {
        type: pdu.type,
        stateKey: pdu.state_key,
        eventId: event.eventId,
        membership: typeof membership === 'string' ? membership : null,
        streamOrdering,
      });
      await setCurrentStateGroup(trx, roomId, groups.after.id);
    }
    await runHookWrites(hookWrites, trx, { streamOrdering });
    return { eventId: event.eventId, streamOrdering, stateGroupAfter: groups.after };
  });
}
