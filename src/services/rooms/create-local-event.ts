// The send path for events of local users (DESIGN "Hot paths: send"): build on the room's
// forward extremities, select auth events from current state, hash and sign, check the
// authorization rules against current state, persist in one transaction, wake sync waiters.
// Events are built in the room's queue, one at a time per room; a message's commit is
// awaited outside it, so the room's next message is built meanwhile (buildAndBegin).
import { randomBytes } from 'node:crypto';
import { authEventTypes, checkAuth, parsePowerLevels, userPowerLevel } from '../../protocol/auth/index.ts';
import { CanonicalJsonError } from '../../protocol/canonical-json.ts';
import { encodeEventJson } from '../../protocol/event-json.ts';
import { MAX_PDU_BYTES, validatePdu } from '../../protocol/pdu-validation.ts';
import { eventIdFromReferenceHash } from '../../protocol/event-id.ts';
import { hashAndSignEvent, hashAndSignNewEvent } from '../../protocol/event-signing.ts';
import type { RoomVersion } from '../../protocol/room-versions.ts';
import type { Pdu } from '../../protocol/types.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { getEvent, getEventByTxn } from '../../storage/rooms/events.ts';
import { stateKeyOf } from '../../storage/rooms/state-groups.ts';
import type { EventDraft, TxnKey } from './event-draft.ts';
import { beginPersist, StaleRoomHeadError } from './persist-event.ts';
import { cachedRoomHead, headAudience, headStateEvents, roomHead } from './room-head.ts';

export interface CreatedEvent {
  eventId: string;
  streamOrdering: number;
  pdu: Pdu;
  /** True when the transaction ID had been used before and the earlier event is returned. */
  duplicate: boolean;
}

/** Most prev_events a new event cites; more extremities are merged over several events. */
const MAX_PREV_EVENTS = 10;

function newLegacyEventId(serverName: string): string {
  return `$${randomBytes(18).toString('base64url')}:${serverName}`;
}

/** prev_events / auth_events references in the room version's format. */
function references(events: Array<{ id: string; sha256: string }>, version: RoomVersion): Pdu['prev_events'] {
  if (version.eventIdFormat !== 'v1') return events.map((e) => e.id);
  return events.map((e) => [e.id, { sha256: e.sha256 }] as [string, Record<string, string>]);
}

export function buildPduSkeleton(
  draft: EventDraft,
  roomId: string | undefined,
  version: RoomVersion,
  fields: { depth: number; prevEvents: Pdu['prev_events']; authEvents: Pdu['auth_events']; now: number },
): Pdu {
  const pdu: Pdu = {
    ...(roomId !== undefined ? { room_id: roomId } : {}),
    type: draft.type,
    sender: draft.sender,
    content: draft.content,
    origin_server_ts: fields.now,
    depth: fields.depth,
    prev_events: fields.prevEvents,
    auth_events: fields.authEvents,
  };
  if (draft.stateKey !== undefined) pdu.state_key = draft.stateKey;
  if (draft.redacts !== undefined) {
    if (version.redactsInContent) pdu.content = { ...draft.content, redacts: draft.redacts };
    // Servers of older room versions read the top-level key; v11+ keeps both for them.
    pdu.redacts = draft.redacts;
  }
  return pdu;
}

/** Signs a built event and gives it its ID (v1/v2: chosen by us; v3+: the reference hash),
 * with its JSON in the room version's encoding. */
export function signNewEvent(tenant: TenantContext, skeleton: Pdu, version: RoomVersion): { eventId: string; pdu: Pdu; json: string } {
  if (version.eventIdFormat === 'v1') {
    const pdu = hashAndSignEvent({ ...skeleton, event_id: newLegacyEventId(tenant.serverName) }, tenant.serverName, tenant.signingKeys.current, version.id) as Pdu;
    return { eventId: pdu.event_id as string, pdu, json: encodeEventJson(pdu, version) };
  }
  // Its JSON is strict canonical JSON, which equals every room version's encoding of it.
  const signed = hashAndSignNewEvent(skeleton, tenant.serverName, tenant.signingKeys.current, version.id);
  return { eventId: eventIdFromReferenceHash(signed.referenceHash, version), pdu: signed.pdu as Pdu, json: signed.json };
}

/** Per room, the latest message whose append is sent and not answered yet (settles, never rejects). */
function messagesInFlight(tenant: TenantContext): Map<string, Promise<void>> {
  return (tenant.caches.roomMessagesInFlight ??= new Map());
}

/**
 * In the room's queue: builds, authorises and begins persisting the event on the room's
 * cached head (see room-head.ts); `done` settles with the commit, outside the queue. So a
 * busy room's next message is built while this one commits (beginPersist). A state event,
 * or a head that must be read from the database, first waits for the room's messages in
 * flight: state events are written in a transaction on the pool, and the database shows a
 * message only once it committed.
 */
async function buildAndBegin(tenant: TenantContext, roomId: string, draft: EventDraft, txn: TxnKey | undefined): Promise<{ done: Promise<CreatedEvent> }> {
  const inFlight = messagesInFlight(tenant).get(roomId);
  if (inFlight && (draft.stateKey !== undefined || !cachedRoomHead(tenant, roomId))) await inFlight;
  const head = await roomHead(tenant, roomId);
  if (!head || head.stateGroup === null) throw new MatrixError('M_NOT_FOUND', `Unknown room ${roomId}`);
  const { version } = head;

  // The state the event is judged by: what the auth selection names, plus the create event.
  const pairs = authEventTypes({ type: draft.type, state_key: draft.stateKey, sender: draft.sender, content: draft.content }, version.id);
  const stateIds = [['m.room.create', ''] as const, ...pairs].flatMap(([t, k]) => head.state.get(stateKeyOf(t, k)) ?? []);
  const statePdus = await headStateEvents(tenant, head, stateIds);
  const authIds = pairs.flatMap(([t, k]) => head.state.get(stateKeyOf(t, k)) ?? []);
  const extremities = head.extremities.slice(0, MAX_PREV_EVENTS);
  const depth = Math.max(0, ...extremities.map((x) => x.depth)) + 1;

  const skeleton = buildPduSkeleton(draft, roomId, version, {
    depth,
    prevEvents: references(extremities.map((x) => ({ id: x.eventId, sha256: x.sha256 })), version),
    authEvents: references(authIds.map((id) => ({ id, sha256: statePdus.get(id)?.hashes?.sha256 ?? '' })), version),
    now: Date.now(),
  });
  const { eventId, pdu, json } = signChecked(tenant, skeleton, version);

  const authState = [...statePdus].map(([id, statePdu]) => ({ ...statePdu, event_id: id }));
  const verdict = checkAuth(pdu, authState, version.id);
  if (!verdict.allowed) throw new MatrixError('M_FORBIDDEN', verdict.reason ?? 'Not allowed by the room’s authorization rules');
  if (draft.redacts !== undefined) await checkRedactionApplies(tenant, roomId, draft, authState, version);

  const persisting = await beginPersist(tenant, {
    roomId,
    eventId,
    pdu,
    pduJson: json,
    stateGroupBefore: head.stateGroup,
    prevEventIds: extremities.map((x) => x.eventId),
    txn,
    headVersion: head.headVersion,
    currentState: head.state,
    ...(draft.redacts !== undefined ? { applyRedactionTo: draft.redacts } : {}),
  });
  // Everyone the event concerns: members joined, invited or knocking (after the event), and
  // the target of a membership change.
  const audience = new Set(headAudience(head));
  if (pdu.type === 'm.room.member' && pdu.state_key !== undefined) audience.add(pdu.state_key);
  if (draft.stateKey === undefined) {
    const inFlightNow = messagesInFlight(tenant);
    const settled = persisting.committed.then(
      () => undefined,
      () => undefined,
    );
    inFlightNow.set(roomId, settled);
    void settled.then(() => {
      if (inFlightNow.get(roomId) === settled) inFlightNow.delete(roomId);
    });
  }
  const done = persisting.committed.then((persisted): CreatedEvent => {
    tenant.notifier.notify(audience);
    return { eventId, streamOrdering: persisted.streamOrdering, pdu, duplicate: false };
  });
  // The caller awaits it as soon as the queue lets go; a failure before is not unhandled.
  done.catch(() => undefined);
  return { done };
}

/** Attempts after the first when the head the event was built on did not hold: another
 * shard wrote the room, or a message it was built behind failed (see buildAndBegin). */
const STALE_HEAD_RETRIES = 5;

async function createNow(tenant: TenantContext, roomId: string, draft: EventDraft, txn: TxnKey | undefined): Promise<CreatedEvent> {
  for (let attempt = 0; ; attempt++) {
    try {
      const { done } = await tenant.roomQueue.run(roomId, () => buildAndBegin(tenant, roomId, draft, txn));
      return await done;
    } catch (error) {
      if (error instanceof StaleRoomHeadError && attempt < STALE_HEAD_RETRIES) continue;
      // A transaction ID used before answers with the earlier event, whatever this attempt
      // met (the unique index on transaction IDs, or a room the sender has left since).
      // Looked up only on failure: the send path does not pay for it.
      if (txn) {
        const earlier = await getEventByTxn(tenant.db, txn);
        if (earlier) return { eventId: earlier.eventId, streamOrdering: earlier.streamOrdering, pdu: earlier.pdu, duplicate: true };
      }
      throw error;
    }
  }
}

/** Signs the event and checks it against the PDU format and size limits: content a room
 * version cannot encode is M_BAD_JSON, an event over 64 KiB M_TOO_LARGE. Returns the
 * event's JSON too (its canonical form, also what is stored): encoded once here. */
function signChecked(tenant: TenantContext, skeleton: Pdu, version: RoomVersion): { eventId: string; pdu: Pdu; json: string } {
  let signed: { eventId: string; pdu: Pdu; json: string };
  try {
    signed = signNewEvent(tenant, skeleton, version);
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new MatrixError('M_BAD_JSON', `The event cannot be encoded in room version ${version.id}: ${error.message}`);
    throw error;
  }
  const { json } = signed;
  const size = Buffer.byteLength(json, 'utf8');
  if (size > MAX_PDU_BYTES) throw new MatrixError('M_TOO_LARGE', `The event is ${size} bytes; the limit is ${MAX_PDU_BYTES}`);
  // PostgreSQL's jsonb cannot hold U+0000 (JSON escapes it as \u0000, canonical JSON too).
  if (json.includes('\\u0000')) throw new MatrixError('M_BAD_JSON', 'Events cannot contain the character U+0000');
  const valid = validatePdu(signed.pdu, version.id, { encodingChecked: true });
  if (!valid.ok) throw new MatrixError('M_BAD_JSON', `Invalid event: ${valid.reason}`);
  return signed;
}

/**
 * Local users redact only what they may: an event of this room (404 otherwise), their own
 * or — with the room's `redact` power level — anyone's. The send path then applies the
 * redaction to the stored event in the same transaction.
 */
async function checkRedactionApplies(tenant: TenantContext, roomId: string, draft: EventDraft, authState: object[], version: RoomVersion): Promise<void> {
  const target = await getEvent(tenant.db, draft.redacts as string);
  if (!target || target.roomId !== roomId) throw new MatrixError('M_NOT_FOUND', 'Event not found in this room');
  if (target.pdu.sender === draft.sender) return;
  const powerLevels = authState.find((e) => (e as Pdu).type === 'm.room.power_levels' && (e as Pdu).state_key === '') as Pdu | undefined;
  const levels = parsePowerLevels(powerLevels?.content ?? {}, version.id);
  if (userPowerLevel(draft.sender, authState, version.id) < levels.redact) {
    throw new MatrixError('M_FORBIDDEN', 'You need a higher power level to redact other users’ events');
  }
}

/** Creates, authorises and persists an event of a local user in an existing room. Throws
 * MatrixError M_NOT_FOUND for an unknown room, M_FORBIDDEN when the auth rules refuse. */
export function createLocalEvent(tenant: TenantContext, roomId: string, draft: EventDraft, txn?: TxnKey): Promise<CreatedEvent> {
  return createNow(tenant, roomId, draft, txn);
}
