// Piscina worker entry: one named export per task (the pool selects it with `name`).
// The tasks catch everything themselves, so a bad input is an error value, never a
// rejected task or a dead worker. The *Streamed variants receive their input in chunks
// over a port and stream the result list back (see stream-messages.ts).
import { endStream, receiveStreamed, sendStreamedResult } from './stream-receiver.ts';
import { CHUNK_ITEMS, type StreamedSummary } from './stream-messages.ts';
import { runResolveState, runVerifyBatch, type ResolveResult, type VerifyBatchResult } from './tasks.ts';

type Failure = { ok: false; reason: string };

export function resolveState(input: unknown): ResolveResult {
  return runResolveState(input);
}

export function verifyBatch(input: unknown): VerifyBatchResult {
  return runVerifyBatch(input);
}

export async function resolveStateStreamed(header: unknown): Promise<StreamedSummary | Failure> {
  try {
    const received = await receiveStreamed(header);
    if (!received.ok) return received;
    const result = runResolveState(received.input);
    if (result.ok) return sendStreamedResult(received.port, 'state', result.state, CHUNK_ITEMS.tuples);
    endStream(received.port);
    return result;
  } catch (error) {
    return { ok: false, reason: `state resolution failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export async function verifyBatchStreamed(header: unknown): Promise<StreamedSummary | Failure> {
  try {
    const received = await receiveStreamed(header);
    if (!received.ok) return received;
    const result = runVerifyBatch(received.input);
    if (result.ok) return sendStreamedResult(received.port, 'results', result.results, CHUNK_ITEMS.verdicts);
    endStream(received.port);
    return result;
  } catch (error) {
    return { ok: false, reason: `verification failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
