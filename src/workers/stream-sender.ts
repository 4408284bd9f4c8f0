// Main-thread side of a streamed task (see stream-messages.ts): start the task with a
// port, send the large lists in chunks while yielding to the event loop, and collect the
// result list the worker streams back.
import { MessageChannel } from 'node:worker_threads';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Piscina } from 'piscina';
import { PORT_FIELD, type ItemsMessage, type StreamMessage } from './stream-messages.ts';

/** One large list of the input, produced a chunk at a time (so even building the chunks,
 * e.g. the entries of a big record, never happens all at once). */
export interface StreamedList {
  field: string;
  index?: number;
  length: number;
  chunkItems: number;
  slice(start: number, end: number): unknown[];
}

export interface StreamedTask {
  name: string;
  /** Small fields, sent with the task message. */
  header: Record<string, unknown>;
  lists: StreamedList[];
  signal: AbortSignal;
}

function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Runs the task; resolves to its summary with the streamed result list (if any) under
 * `resultField`. Rejects as piscina.run does (worker error, abort, closed pool). */
export async function runStreamed(piscina: Piscina, task: StreamedTask, resultField: string): Promise<Record<string, unknown>> {
  const { port1, port2 } = new MessageChannel();
  const received: unknown[] = [];
  let resultEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resultEnded = resolve));
  port1.on('message', (message: StreamMessage) => {
    if (message.kind === 'items') for (const item of message.items) received.push(item);
    else resultEnded();
  });
  try {
    const running = piscina.run({ ...task.header, [PORT_FIELD]: port2 }, { name: task.name, transferList: [port2], signal: task.signal });
    let failed = false;
    running.catch(() => (failed = true));
    try {
      for (const list of task.lists) {
        for (let start = 0; start < list.length && !failed; start += list.chunkItems) {
          const message: ItemsMessage = { kind: 'items', field: list.field, items: list.slice(start, start + list.chunkItems) };
          if (list.index !== undefined) message.index = list.index;
          port1.postMessage(message);
          await yieldToEventLoop();
        }
      }
    } catch (error) {
      // The worker is waiting for the rest: tell it to give up, then report this failure.
      port1.postMessage({ kind: 'abort', reason: 'input could not be sent' } satisfies StreamMessage);
      await running.catch(() => undefined);
      throw error;
    }
    port1.postMessage({ kind: 'end' } satisfies StreamMessage);
    const summary = (await running) as Record<string, unknown>;
    if (summary.streamed !== true) return summary;
    // The worker posted every item and the end marker before its task returned, but the
    // port and piscina's channel are separate, so wait for the marker here (bounded by
    // the task's time limit all the same).
    await Promise.race([ended, aborted(task.signal)]);
    const { streamed: _streamed, ...rest } = summary;
    return { ...rest, [resultField]: received };
  } finally {
    port1.close();
  }
}
