// Worker threads for heavy protocol work. See protocol-pool.ts.
export { createProtocolPool, type ProtocolPool, type ProtocolPoolOptions, type TaskOptions } from './protocol-pool.ts';
export { INLINE_THRESHOLDS, STREAM_THRESHOLDS } from './inline-thresholds.ts';
export type { ResolveStateInput, ResolveResult } from './tasks.ts';
export type { PduVerdict, ServerKeys, VerifyBatchInput, VerifyBatchResult } from './verify-batch.ts';
