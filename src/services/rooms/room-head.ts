// The head of a room as the send path needs it, cached per tenant and room: the room
// version, current state (state key → event ID, and each user's membership), the state
// group of current state, the forward extremities with depth and content hash, and the
// PDUs of the state events auth selection has needed so far. Building an event from the
// cached head costs no query; a miss reads it in one parallel round (storage/rooms/room-head.ts).
//
// Coherence: only code running in the room's queue reads or changes a head, and every
// event of the room is persisted through persistEvent, which advances the head after its
// commit. Another shard writing the same room (a tenant briefly served by two shards) moves
// rooms.head_version, so the persist statement matches nothing; the caller then drops the
// head and builds again from the database (see create-local-event.ts).
import { redactWithVersion } from '../../protocol/redaction.ts';
import { requireRoomVersion, type RoomVersion } from '../../protocol/room-versions.ts';
import type { Pdu } from '../../protocol/types.ts';
import { getEvents } from '../../storage/rooms/events.ts';
import { readRoomHead } from '../../storage/rooms/room-head.ts';
import { stateKeyOf } from '../../storage/rooms/state-groups.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface RoomHead {
  readonly roomId: string;
  readonly version: RoomVersion;
  /** rooms.head_version this head reflects. */
  headVersion: number;
  stateGroup: { id: string; chainLength: number } | null;
  /** Current state: stateKeyOf(type, state_key) → event ID. */
  readonly state: Map<string, string>;
  /** User ID → current membership, for every user with a member event. */
  readonly memberships: Map<string, string>;
  /** Forward extremities, deepest first. */
  extremities: Array<{ eventId: string; depth: number; sha256: string }>;
  /** Current state events loaded so far (their redacted form when redacted). */
  readonly pdus: Map<string, Pdu>;
}

/** Rooms per tenant whose heads stay cached (the busiest; a head is a few KB for small rooms). */
const MAX_CACHED_HEADS = 64;

function heads(tenant: TenantContext): BoundedMap<string, RoomHead> {
  return (tenant.caches.roomHeads ??= new BoundedMap(MAX_CACHED_HEADS));
}

/** The room's head if it is cached (no database read). */
export function cachedRoomHead(tenant: TenantContext, roomId: string): RoomHead | undefined {
  return heads(tenant).get(roomId);
}

/** The room's head (undefined: unknown room). Call only inside the room's queue. */
export async function roomHead(tenant: TenantContext, roomId: string): Promise<RoomHead | undefined> {
  const cached = heads(tenant).get(roomId);
  if (cached) return cached;
  const rows = await readRoomHead(tenant.db, roomId);
  if (!rows) return undefined;
  const head: RoomHead = {
    roomId,
    version: requireRoomVersion(rows.roomVersion),
    headVersion: rows.headVersion,
    stateGroup: rows.stateGroup,
    state: new Map(rows.state.map((s) => [stateKeyOf(s.type, s.stateKey), s.eventId])),
    memberships: new Map(rows.state.filter((s) => s.type === 'm.room.member' && s.membership !== null).map((s) => [s.stateKey, s.membership as string])),
    extremities: rows.extremities,
    pdus: new Map(),
  };
  heads(tenant).set(roomId, head);
  return head;
}

/** The PDUs of current state events of the head, loading the ones not seen yet. */
export async function headStateEvents(tenant: TenantContext, head: RoomHead, eventIds: readonly string[]): Promise<Map<string, Pdu>> {
  const missing = eventIds.filter((id) => !head.pdus.has(id));
  if (missing.length > 0) {
    for (const [id, stored] of await getEvents(tenant.db, missing)) {
      head.pdus.set(id, stored.redactedBy === null ? stored.pdu : (redactWithVersion(stored.pdu, head.version) as unknown as Pdu));
    }
  }
  const result = new Map<string, Pdu>();
  for (const id of eventIds) {
    const pdu = head.pdus.get(id);
    if (pdu) result.set(id, pdu);
  }
  return result;
}

export interface AppendedEvent {
  eventId: string;
  pdu: Pdu;
  prevEventIds: readonly string[];
  stateGroupAfter: { id: string; chainLength: number };
  /** The head version the event was built on (the room is now at this + 1). */
  builtOnVersion: number;
  /** An event this one redacted. */
  redacted?: string;
}

/** After a commit: moves the cached head past the event (or drops a head it does not follow). */
export function advanceRoomHead(tenant: TenantContext, roomId: string, event: AppendedEvent): void {
  const head = heads(tenant).get(roomId);
  if (!head) return;
  if (head.headVersion !== event.builtOnVersion) {
    dropRoomHead(tenant, roomId);
    return;
  }
  const { pdu } = event;
  head.headVersion = event.builtOnVersion + 1;
  const cited = new Set(event.prevEventIds);
  head.extremities = [...head.extremities.filter((x) => !cited.has(x.eventId)), { eventId: event.eventId, depth: pdu.depth, sha256: pdu.hashes?.sha256 ?? '' }].sort(
    (a, b) => b.depth - a.depth,
  );
  if (pdu.state_key !== undefined) {
    const key = stateKeyOf(pdu.type, pdu.state_key);
    const replaced = head.state.get(key);
    if (replaced !== undefined) head.pdus.delete(replaced);
    head.state.set(key, event.eventId);
    head.pdus.set(event.eventId, pdu);
    const membership = (pdu.content as { membership?: unknown }).membership;
    if (pdu.type === 'm.room.member' && typeof membership === 'string') head.memberships.set(pdu.state_key, membership);
    head.stateGroup = event.stateGroupAfter;
  }
  const redacted = event.redacted === undefined ? undefined : head.pdus.get(event.redacted);
  if (redacted && event.redacted !== undefined) head.pdus.set(event.redacted, redactWithVersion(redacted, head.version) as unknown as Pdu);
}

export function dropRoomHead(tenant: TenantContext, roomId: string): void {
  heads(tenant).delete(roomId);
}

/** Users the room's events concern now: joined, invited and knocking members. */
export function headAudience(head: RoomHead): string[] {
  const users: string[] = [];
  for (const [userId, membership] of head.memberships) if (membership === 'join' || membership === 'invite' || membership === 'knock') users.push(userId);
  return users;
}
