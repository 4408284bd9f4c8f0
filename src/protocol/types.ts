// Shapes of Matrix data as the protocol layer sees it. Input from the network is untrusted:
// functions take `unknown`/loose shapes and validate, they never assume these types hold.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A persistent data unit (room event) as exchanged over federation. Room versions 1–2
 * carry `event_id` and use [id, hashes] pairs in prev/auth events; v3+ use plain ID lists. */
export interface Pdu {
  event_id?: string;
  room_id?: string;
  type: string;
  state_key?: string;
  sender: string;
  origin?: string;
  origin_server_ts: number;
  content: Record<string, unknown>;
  prev_events: Array<string | [string, Record<string, string>]>;
  auth_events: Array<string | [string, Record<string, string>]>;
  depth: number;
  hashes?: { sha256: string; [alg: string]: string };
  signatures?: Record<string, Record<string, string>>;
  unsigned?: Record<string, unknown>;
  redacts?: string;
  [key: string]: unknown;
}

/** A state-bearing event with its ID resolved, as auth and state resolution use it. */
export interface StateEvent extends Pdu {
  event_id: string;
  state_key: string;
}

/** Outcome for checks over untrusted input: never an exception. */
export type CheckResult = { allowed: true } | { allowed: false; reason: string };
