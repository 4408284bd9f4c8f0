// Shapes of state resolution's input and output. Input is untrusted: every field is
// validated before use, and bad input becomes a `{ ok: false }` result, never a throw.

/** One state entry: [event type, state key, event ID]. */
export type StateTuple = [type: string, stateKey: string, eventId: string];

export interface ResolveOptions {
  /** IDs of events rejected on receipt. Per the spec they are never used as the auth-event
   * fallback in the iterative auth checks (they still take part otherwise). */
  rejectedEventIds?: readonly string[];
}

export type ResolveResult = { ok: true; state: StateTuple[] } | { ok: false; reason: string };

/** Thrown inside the resolver for bad input; caught at the public boundary. */
export class StateResInputError extends Error {
  override name = 'StateResInputError';
}
