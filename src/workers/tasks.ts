// The tasks the protocol pool runs, as plain functions of structured-clone-friendly input.
// They run identically inline and in a worker, and never throw: whatever the input, the
// answer is a result value (a worker must survive any input).
import { tryResolveState, type ResolveResult, type StateTuple } from '../protocol/state-res/index.ts';
import { verifyBatch, type VerifyBatchInput, type VerifyBatchResult } from './verify-batch.ts';

export interface ResolveStateInput {
  roomVersion: string;
  stateSets: StateTuple[][];
  /** Every event of the state sets and of their auth chains, by event ID. */
  events: Record<string, object>;
  rejectedEventIds?: string[];
}

export type { ResolveResult, VerifyBatchInput, VerifyBatchResult };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function runResolveState(input: unknown): ResolveResult {
  try {
    if (!isRecord(input)) return { ok: false, reason: 'input is not an object' };
    const { roomVersion, stateSets, events, rejectedEventIds } = input;
    const options = rejectedEventIds === undefined ? {} : { rejectedEventIds: rejectedEventIds as string[] };
    return tryResolveState(roomVersion as string, stateSets as StateTuple[][], events as Record<string, object>, options);
  } catch (error) {
    return { ok: false, reason: `state resolution failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

export function runVerifyBatch(input: unknown): VerifyBatchResult {
  return verifyBatch(input);
}
