// What other modules do with every event the rooms core persists (push rule evaluation now;
// later push gateway delivery, search indexing, …), without the rooms core importing them.
// Hooks are registered on the TenantContext (`persistHooks`) and run by persistEvent in two
// phases:
//
//   prepare   before the event's transaction, in the room's queue (the room's current state
//             is still the state before the event). Reads and computes whatever the hook
//             needs; must not write. Returns the writes to make, or undefined.
//   write     inside the event's transaction, after the event row: the hook's rows commit
//             or roll back with the event, so they can never be lost nor seen without it.
//
// Keeping the work in `prepare` holds the tenant's stream-position lock (taken in the
// transaction) no longer than one write per hook. A hook that throws fails the persist:
// the caller sees the error and nothing of the event is stored.
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import type { Pdu } from '../../protocol/types.ts';
import type { TenantContext } from '../../tenancy/context.ts';

/** The event being persisted, as hooks see it. */
export interface PersistingEvent {
  roomId: string;
  eventId: string;
  pdu: Pdu;
  /** The room's state group before the event (null: the create event). Equal to the room's
   * current state group for local events; a remote event may be based on an older one. */
  stateGroupBefore: string | null;
}

/** Writes a hook makes in the event's transaction, given the event's stream position. */
export type PersistHookWrite = (trx: Transaction<TenantDatabase>, persisted: { streamOrdering: number }) => Promise<void>;

export interface PersistHook {
  /** For logs and errors. */
  readonly name: string;
  prepare(tenant: TenantContext, event: PersistingEvent): Promise<PersistHookWrite | undefined>;
}

/** Runs every hook's prepare phase (concurrently); returns the writes to make. */
export async function prepareHookWrites(tenant: TenantContext, event: PersistingEvent): Promise<PersistHookWrite[]> {
  const hooks = tenant.persistHooks;
  if (hooks.length === 0) return [];
  const writes = await Promise.all(hooks.map((hook) => hook.prepare(tenant, event)));
  return writes.filter((write): write is PersistHookWrite => write !== undefined);
}

/** Makes the prepared writes inside the event's transaction, in registration order. */
export async function runHookWrites(writes: readonly PersistHookWrite[], trx: Transaction<TenantDatabase>, persisted: { streamOrdering: number }): Promise<void> {
  for (const write of writes) await write(trx, persisted);
}
