// The client event format (client-server API "Room event format", ClientEvent): what every
// endpoint that returns room events serves. One function, pure: related events (the
// redaction, the replaced state event) are loaded beforehand by serializeEvents.
import { redactWithVersion } from '../../protocol/redaction.ts';
import type { RoomVersion } from '../../protocol/room-versions.ts';
import type { StoredEvent } from '../../storage/rooms/events.ts';

export type ClientEvent = Record<string, unknown>;

/** The user and device a response is for. */
export interface Viewer {
  userId: string;
  deviceId: string;
}

/** The key of per-device memos in TenantCaches: `${userId}\u0000${deviceId}`. */
export function deviceKey(viewer: Viewer): string {
  return `${viewer.userId}\u0000${viewer.deviceId}`;
}

export interface ClientEventContext {
  roomVersion: RoomVersion;
  /** Now, for unsigned.age. */
  now: number;
  /** Who is asking: unsigned.transaction_id goes only to the device that sent the event. */
  viewer?: Viewer;
  /** ClientEventWithoutRoomID (sync), where the room ID is implied. */
  omitRoomId?: boolean;
  /** Redaction events by ID, for unsigned.redacted_because. */
  redactions: ReadonlyMap<string, StoredEvent>;
  /** Replaced state events by ID, for unsigned.prev_content. */
  replaced: ReadonlyMap<string, StoredEvent>;
}

/** The PDU as clients see it: redacted when a redaction applies; the target of a v11+
 * redaction also at the top level, where clients of every room version look for it. */
function visiblePdu(event: StoredEvent, version: RoomVersion): Record<string, unknown> {
  const pdu = event.redactedBy !== null ? redactWithVersion(event.pdu, version) : (event.pdu as Record<string, unknown>);
  if (pdu.type === 'm.room.redaction' && pdu.redacts === undefined) {
    const redacts = (pdu.content as Record<string, unknown> | undefined)?.redacts;
    if (typeof redacts === 'string') return { ...pdu, redacts };
  }
  return pdu;
}

export function toClientEvent(event: StoredEvent, ctx: ClientEventContext): ClientEvent {
  const pdu = visiblePdu(event, ctx.roomVersion);
  const out: ClientEvent = {
    event_id: event.eventId,
    ...(ctx.omitRoomId ? {} : { room_id: event.roomId }),
    type: pdu.type,
    ...(pdu.state_key !== undefined ? { state_key: pdu.state_key } : {}),
    sender: pdu.sender,
    content: pdu.content ?? {},
    origin_server_ts: pdu.origin_server_ts,
    ...(typeof pdu.redacts === 'string' ? { redacts: pdu.redacts } : {}),
  };
  const unsigned: Record<string, unknown> = { age: Math.max(0, ctx.now - Number(pdu.origin_server_ts)) };
  if (event.txn && ctx.viewer && event.txn.userId === ctx.viewer.userId && event.txn.deviceId === ctx.viewer.deviceId) {
    unsigned.transaction_id = event.txn.txnId;
  }
  if (pdu.state_key !== undefined && event.replacesState !== null) {
    unsigned.replaces_state = event.replacesState;
    const previous = ctx.replaced.get(event.replacesState);
    if (previous) unsigned.prev_content = visiblePdu(previous, ctx.roomVersion).content ?? {};
  }
  if (event.redactedBy !== null) {
    const redaction = ctx.redactions.get(event.redactedBy);
    if (redaction) unsigned.redacted_because = toClientEvent(redaction, { ...ctx, redactions: new Map() });
  }
  out.unsigned = unsigned;
  return out;
}
