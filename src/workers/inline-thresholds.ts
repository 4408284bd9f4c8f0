// Where a task runs, by size.
//
// Inline below INLINE_THRESHOLDS: the pool's round trip (structured clone both ways, a
// message hop, waking a worker) costs more than the work, and the work is short enough
// (≲ 2 ms) not to matter to the event loop. bench/protocol.ts measures both sides
// ("inlineThresholds" in bench/results/protocol.json).
//
// Streamed above STREAM_THRESHOLDS: one postMessage of the whole input would block the
// sending thread for tens of ms (≈ 90 ms of CPU to clone a 30,000-event room), so the
// input goes in chunks with the event loop running in between (stream-messages.ts).
//
// Measured on a shared 2-core Xeon VM (bench/results/protocol.json, several runs): a room
// of 464 events resolves in 0.7–1.2 ms inline against 2–4 ms through the pool, one of 924
// events in 1.4–2.2 ms (at or past the budget) against 8 ms; 4 PDUs verify in 0.7–0.9 ms
// inline against 1.0–1.4 ms, 8 PDUs in 1.7–2.4 ms. ed25519 verification dominates and costs
// the same on either side, so past the budget the pool wins by keeping it off the event
// loop. The values below are the largest that stayed within budget in every run.
export const INLINE_THRESHOLDS = Object.freeze({
  /** resolveState: events supplied (state sets plus auth chains). */
  resolveStateEvents: 500,
  /** verifyBatch: PDUs in the batch. */
  verifyBatchPdus: 4,
});

export const STREAM_THRESHOLDS = Object.freeze({
  resolveStateEvents: 2_000,
  verifyBatchPdus: 250,
});
