// Worker side of a streamed task (see stream-messages.ts): assemble the input from the
// chunks, and stream a large result list back.
import type { MessagePort } from 'node:worker_threads';
import { PORT_FIELD, type StreamMessage, type StreamedSummary } from './stream-messages.ts';

function isPort(value: unknown): value is MessagePort {
  return typeof value === 'object' && value !== null && typeof (value as MessagePort).postMessage === 'function';
}

/** Appends a chunk: `events` entries ([id, event] pairs) into a record, items with an
 * `index` into that inner list (stateSets[index]), others into the field's list. The
 * header brings the empty containers, so empty lists need no chunk. */
function append(input: Record<string, unknown>, field: string, index: number | undefined, items: unknown[]): void {
  if (field === 'events') {
    const events = (input.events ??= Object.create(null)) as Record<string, unknown>;
    for (const entry of items as Array<[string, unknown]>) events[entry[0]] = entry[1];
    return;
  }
  const list = (input[field] ??= []) as unknown[];
  if (index === undefined) {
    for (const item of items) list.push(item);
    return;
  }
  const inner = (list[index] ??= []) as unknown[];
  for (const item of items) inner.push(item);
}

export type Received = { ok: true; input: Record<string, unknown>; port: MessagePort } | { ok: false; reason: string };

/** The task's full input and its port, once the main thread has sent everything. */
export async function receiveStreamed(header: unknown): Promise<Received> {
  if (typeof header !== 'object' || header === null) return { ok: false, reason: 'streamed task without a header' };
  const { [PORT_FIELD]: port, ...rest } = header as Record<string, unknown>;
  if (!isPort(port)) return { ok: false, reason: 'streamed task without a port' };
  const input: Record<string, unknown> = rest;
  const aborted = await new Promise<string | undefined>((resolve) => {
    port.on('message', (message: StreamMessage) => {
      if (message.kind === 'end') resolve(undefined);
      else if (message.kind === 'abort') resolve(message.reason);
      else append(input, message.field, message.index, message.items);
    });
  });
  if (aborted !== undefined) {
    port.close();
    return { ok: false, reason: aborted };
  }
  return { ok: true, input, port };
}

/** Streams `items` back, then the end marker; returns the summary the task returns. */
export function sendStreamedResult(port: MessagePort, field: string, items: readonly unknown[], chunkItems: number): StreamedSummary {
  for (let start = 0; start < items.length; start += chunkItems) {
    port.postMessage({ kind: 'items', field, items: items.slice(start, start + chunkItems) } satisfies StreamMessage);
  }
  port.postMessage({ kind: 'end' } satisfies StreamMessage);
  return { ok: true, streamed: true };
}

/** Ends the stream without a result list (the task failed; its summary says why). */
export function endStream(port: MessagePort): void {
  port.postMessage({ kind: 'end' } satisfies StreamMessage);
}
