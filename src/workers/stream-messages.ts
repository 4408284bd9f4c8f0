// Large tasks travel in chunks over a MessageChannel instead of one message: cloning a
// 30,000-event room in one postMessage blocks the sending thread for ~100 ms, while a
// chunk takes a few and the event loop runs between chunks. Results come back the same way.

/** Items per chunk by kind: each chunk should clone in a few ms. Events and PDUs may be up
 * to 64 KiB (usually ~1 KiB); state tuples and verdicts are tiny. */
export const CHUNK_ITEMS = Object.freeze({ events: 500, pdus: 250, tuples: 5_000, verdicts: 2_000 });

/** Main → worker: items of one list of the input; `index` picks a list within a field
 * (stateSets[index]). Worker → main: items of the result list. */
export interface ItemsMessage {
  kind: 'items';
  field: string;
  index?: number;
  items: unknown[];
}

/** Either side: no more items follow. */
export interface EndMessage {
  kind: 'end';
}

/** Main → worker: the input could not be sent (e.g. it holds a value that cannot be
 * cloned); the task gives up instead of waiting for the rest. */
export interface AbortMessage {
  kind: 'abort';
  reason: string;
}

export type StreamMessage = ItemsMessage | EndMessage | AbortMessage;

/** The task message itself carries only the small fields and the port. */
export const PORT_FIELD = 'streamPort';

/** Set on a task's summary when its result list came over the port. */
export interface StreamedSummary {
  ok: true;
  streamed: true;
}
