// What other modules do with every event the rooms core persists (push rule evaluation now;
// later push gateway delivery, search indexing, …), without the rooms core importing them.
// Hooks are registered on the TenantContext (`persistHooks`) and run by persistEvent in two
// phases:
//
//   prepare   before the event's transaction, in the room's queue (the room's current state
//             is still the state before the event). Reads and computes whatever the hook
//             needs; must not write. Returns the writes to make, or undefined.
//   write     a data-modifying SQL statement that becomes part of the event's own append
//             statement (storage/rooms/append-event.ts): the hook's rows commit or roll back
//             with the event, so they can never be lost nor seen without it.
//
// Keeping the work in `prepare` holds the tenant's stream-position lock no longer than the
// one append statement. A hook that throws fails the persist: the caller sees the error and
// nothing of the event is stored.
import type { AlsoWrite } from '../../storage/rooms/append-event.ts';
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

/** Writes a hook makes with the event: statements that may use the event's stream position. */
export type PersistHookWrite = readonly AlsoWrite[];

export interface PersistHook {
  /** For logs and errors. */
  readonly name: string;
  prepare(tenant: TenantContext, event: PersistingEvent): Promise<PersistHookWrite | undefined>;
}

/** Runs every hook's prepare phase (concurrently); returns the statements to write with the event. */
export async function prepareHookWrites(tenant: TenantContext, event: PersistingEvent): Promise<AlsoWrite[]> {
  const hooks = tenant.persistHooks;
  if (hooks.length === 0) return [];
  const writes = await Promise.all(hooks.map((hook) => hook.prepare(tenant, event)));
  return writes.flatMap((write) => write ?? []);
}
