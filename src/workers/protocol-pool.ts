// A pool of worker threads for heavy protocol work (state resolution, verifying batches of
// PDUs), so the event loop that serves requests never stalls on it. Small tasks run
// inline where measurement shows the round trip to a worker costs more than the work
// (inline-thresholds.ts); large ones are streamed to the worker in chunks so that cloning
// them does not stall the event loop either (stream-messages.ts).
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { INLINE_THRESHOLDS, STREAM_THRESHOLDS } from './inline-thresholds.ts';
import { CHUNK_ITEMS } from './stream-messages.ts';
import { runStreamed, type StreamedList } from './stream-sender.ts';
import { runResolveState, runVerifyBatch, type ResolveResult, type ResolveStateInput, type VerifyBatchInput, type VerifyBatchResult } from './tasks.ts';

export interface ProtocolPoolOptions {
  /** Worker threads; default: the available parallelism of this machine. */
  threads?: number;
  /** Run resolveState inline up to this many events; default INLINE_THRESHOLDS. */
  inlineMaxEvents?: number;
  /** Run verifyBatch inline up to this many PDUs; default INLINE_THRESHOLDS. */
  inlineMaxPdus?: number;
  /** A task running longer is aborted (its worker replaced) and reported as an error. */
  taskTimeoutMs?: number;
  /** Heap limit per worker (at least 32 MB): a pathological input exhausts its worker,
   * not the process. */
  maxWorkerHeapMb?: number;
  /** Told about a worker that failed outside any task (tasks report their own failures).
   * Without it such errors are dropped: they must never crash the process. */
  onWorkerError?: (error: unknown) => void;
}

export interface TaskOptions {
  /** Where the task runs: `auto` (default) picks by size; the others force it. */
  placement?: 'auto' | 'inline' | 'pool';
  /** Overrides the pool's taskTimeoutMs for this task. */
  timeoutMs?: number;
}

export interface ProtocolPool {
  readonly threads: number;
  resolveState(input: ResolveStateInput, options?: TaskOptions): Promise<ResolveResult>;
  verifyBatch(input: VerifyBatchInput, options?: TaskOptions): Promise<VerifyBatchResult>;
  /** Stops the workers; later calls answer with an error result. */
  destroy(): Promise<void>;
}

type Failure = { ok: false; reason: string };

const WORKER_URL = new URL('./protocol-worker.ts', import.meta.url).href;
const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_HEAP_MB = 2_048;
/** Below a few MB V8 cannot even create a worker's isolate, and that aborts the whole
 * process; 32 MB starts a worker with room to spare. */
const MIN_HEAP_MB = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Counts own enumerable keys, stopping once past `limit` (the events map can be large). */
function countUpTo(record: object, limit: number): number {
  let count = 0;
  for (const key in record) {
    if (Object.hasOwn(record, key) && ++count > limit) break;
  }
  return count;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function arrayList(field: string, items: unknown[], chunkItems: number, index?: number): StreamedList {
  const list: StreamedList = { field, length: items.length, chunkItems, slice: (start, end) => items.slice(start, end) };
  if (index !== undefined) list.index = index;
  return list;
}

/** The streamed form of a resolveState input: events and each state set in chunks. */
function streamedResolveState(input: Record<string, unknown>): { header: Record<string, unknown>; lists: StreamedList[] } {
  const { events, stateSets, ...rest } = input;
  const sets = stateSets as unknown[];
  const record = events as Record<string, unknown>;
  const ids = Object.keys(record);
  const lists: StreamedList[] = [
    { field: 'events', length: ids.length, chunkItems: CHUNK_ITEMS.events, slice: (start, end) => ids.slice(start, end).map((id) => [id, record[id]]) },
  ];
  sets.forEach((set, index) => {
    if (Array.isArray(set)) lists.push(arrayList('stateSets', set, CHUNK_ITEMS.tuples, index));
  });
  // Empty containers travel with the header; chunks fill them.
  return { header: { ...rest, events: {}, stateSets: sets.map((set) => (Array.isArray(set) ? [] : set)) }, lists };
}

export function createProtocolPool(options: ProtocolPoolOptions = {}): ProtocolPool {
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const inlineMaxEvents = options.inlineMaxEvents ?? INLINE_THRESHOLDS.resolveStateEvents;
  const inlineMaxPdus = options.inlineMaxPdus ?? INLINE_THRESHOLDS.verifyBatchPdus;
  const timeoutMs = options.taskTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const piscina = new Piscina({
    filename: WORKER_URL,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Number.POSITIVE_INFINITY,
    resourceLimits: { maxOldGenerationSizeMb: Math.max(MIN_HEAP_MB, options.maxWorkerHeapMb ?? DEFAULT_HEAP_MB) },
  });
  // Piscina emits 'error' for a worker that dies with no task in flight (e.g. while
  // starting); an EventEmitter without a listener would throw it at the process.
  piscina.on('error', (error: unknown) => options.onWorkerError?.(error));
  let destroyed = false;

  /** Runs a task in a worker; any failure of the transport or the worker is a result. */
  async function inWorker<R>(name: string, taskOptions: TaskOptions, attempt: (signal: AbortSignal) => Promise<unknown>): Promise<R | Failure> {
    if (destroyed) return { ok: false, reason: 'protocol pool is closed' };
    try {
      return (await attempt(AbortSignal.timeout(taskOptions.timeoutMs ?? timeoutMs))) as R;
    } catch (error) {
      // Input that cannot be cloned, a task over time, a worker that died: all are this
      // task's failure, reported like bad input.
      return { ok: false, reason: `${name} failed in the worker pool: ${message(error)}` };
    }
  }

  return {
    threads,

    async resolveState(input, taskOptions = {}) {
      const placement = taskOptions.placement ?? 'auto';
      const events = isRecord(input) ? input.events : undefined;
      const eventCount = isRecord(events) ? countUpTo(events, Math.max(inlineMaxEvents, STREAM_THRESHOLDS.resolveStateEvents)) : 0;
      const wellFormed = isRecord(input) && isRecord(events) && Array.isArray(input.stateSets);
      if (placement === 'inline' || (placement === 'auto' && wellFormed && eventCount <= inlineMaxEvents)) return runResolveState(input);
      if (wellFormed && eventCount > STREAM_THRESHOLDS.resolveStateEvents) {
        const { header, lists } = streamedResolveState(input as unknown as Record<string, unknown>);
        return inWorker<ResolveResult>('resolveState', taskOptions, (signal) => runStreamed(piscina, { name: 'resolveStateStreamed', header, lists, signal }, 'state'));
      }
      return inWorker<ResolveResult>('resolveState', taskOptions, (signal) => piscina.run(input, { name: 'resolveState', signal }));
    },

    async verifyBatch(input, taskOptions = {}) {
      const placement = taskOptions.placement ?? 'auto';
      const pdus = isRecord(input) ? input.pdus : undefined;
      const wellFormed = Array.isArray(pdus);
      if (placement === 'inline' || (placement === 'auto' && wellFormed && pdus.length <= inlineMaxPdus)) return runVerifyBatch(input);
      if (wellFormed && pdus.length > STREAM_THRESHOLDS.verifyBatchPdus) {
        const { pdus: all, ...rest } = input as unknown as Record<string, unknown>;
        const lists = [arrayList('pdus', all as unknown[], CHUNK_ITEMS.pdus)];
        const header = { ...rest, pdus: [] };
        return inWorker<VerifyBatchResult>('verifyBatch', taskOptions, (signal) => runStreamed(piscina, { name: 'verifyBatchStreamed', header, lists, signal }, 'results'));
      }
      return inWorker<VerifyBatchResult>('verifyBatch', taskOptions, (signal) => piscina.run(input, { name: 'verifyBatch', signal }));
    },

    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await piscina.destroy();
    },
  };
}
