// Lazily parsed, validated view of the events handed to the resolver. Each event is read
// from the untrusted input once; every later step works on the normalised record.
import type { Pdu } from '../types.ts';
import { StateResInputError } from './types.ts';

export interface ResEvent {
  id: string;
  type: string;
  /** undefined for message events (which can only appear as auth events by mistake). */
  stateKey: string | undefined;
  sender: string;
  originServerTs: number;
  /** NaN when absent or not a number; only v1 resolution uses depth and checks it. */
  depth: number;
  roomId: string | undefined;
  authIds: readonly string[];
  content: Record<string, unknown>;
  /** The event as given. */
  pdu: Pdu;
  /** The event with its `event_id` set (v3+ events omit it; the auth rules need it to tie a
   * room ID or a first join to the create event). Made on first use. */
  pduWithId: Pdu | undefined;
}

export function pduWithId(event: ResEvent): Pdu {
  event.pduWithId ??= event.pdu.event_id === event.id ? event.pdu : { ...event.pdu, event_id: event.id };
  return event.pduWithId;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** auth_events are plain IDs from v3 on, [id, hashes] pairs in v1/v2; accept either. A
 * list of plain IDs is used as it is (no copy: it is only read). */
function parseAuthIds(raw: unknown, id: string): readonly string[] {
  if (!Array.isArray(raw)) throw new StateResInputError(`event ${id}: auth_events is not an array`);
  const entries = raw as unknown[];
  if (entries.every((entry) => typeof entry === 'string')) return entries as string[];
  return entries.map((entry) => {
    if (Array.isArray(entry) && typeof entry[0] === 'string') return entry[0];
    if (typeof entry === 'string') return entry;
    throw new StateResInputError(`event ${id}: malformed auth_events entry`);
  });
}

function parseEvent(id: string, raw: unknown): ResEvent {
  if (!isObject(raw)) throw new StateResInputError(`event ${id} is not an object`);
  const { type, state_key: stateKey, sender, origin_server_ts: ts, depth, room_id: roomId, content } = raw;
  if (typeof type !== 'string') throw new StateResInputError(`event ${id}: type is not a string`);
  if (stateKey !== undefined && typeof stateKey !== 'string') {
    throw new StateResInputError(`event ${id}: state_key is not a string`);
  }
  if (typeof sender !== 'string') throw new StateResInputError(`event ${id}: sender is not a string`);
  if (typeof ts !== 'number' || !Number.isFinite(ts)) {
    throw new StateResInputError(`event ${id}: origin_server_ts is not a number`);
  }
  if (!isObject(content)) throw new StateResInputError(`event ${id}: content is not an object`);
  if (roomId !== undefined && typeof roomId !== 'string') {
    throw new StateResInputError(`event ${id}: room_id is not a string`);
  }
  if (raw.event_id !== undefined && raw.event_id !== id) {
    throw new StateResInputError(`event ${id}: event_id field disagrees with its key`);
  }
  return {
    id,
    type,
    stateKey,
    sender,
    originServerTs: ts,
    depth: typeof depth === 'number' && Number.isFinite(depth) ? depth : Number.NaN,
    roomId,
    authIds: parseAuthIds(raw.auth_events, id),
    content,
    pdu: raw as Pdu,
    pduWithId: undefined,
  };
}

export class EventIndex {
  readonly #raw: Record<string, unknown>;
  readonly #parsed = new Map<string, ResEvent>();

  constructor(raw: Record<string, unknown>) {
    this.#raw = raw;
  }

  has(id: string): boolean {
    return this.#parsed.has(id) || Object.hasOwn(this.#raw, id);
  }

  /** The event, or a StateResInputError when it is missing or malformed. */
  get(id: string): ResEvent {
    let event = this.#parsed.get(id);
    if (event === undefined) {
      if (!Object.hasOwn(this.#raw, id)) throw new StateResInputError(`missing event ${id}`);
      event = parseEvent(id, this.#raw[id]);
      this.#parsed.set(id, event);
    }
    return event;
  }

  /** The auth events of an event; a missing one is an error (the caller must supply the
   * full auth chain, and resolving without it could diverge from other servers). */
  authEvents(event: ResEvent): ResEvent[] {
    const out: ResEvent[] = [];
    for (const authId of event.authIds) {
      if (!this.has(authId)) throw new StateResInputError(`missing auth event ${authId} of ${event.id}`);
      out.push(this.get(authId));
    }
    return out;
  }
}
