// Sync tokens (next_batch, since) and room pagination tokens (prev_batch, /messages start
// and end): one format that names every stream's position.
//
//   s1_e1234            format "s1", then one part per stream: its short name, its position
//   s1_e1234_t7_r52     (later: typing, receipts, …)
//
// Adding a stream is one line in SYNC_STREAMS. Tokens issued before a stream existed parse
// with that stream at 0, which is exact: they predate everything the stream holds. Parts
// with names this release does not know (a token from a newer shard during a rolling
// update) are ignored. Room pagination tokens are the same format; /messages reads only
// the events position (the tenant's stream ordering) from them.
import { MatrixError } from '../../errors/matrix-error.ts';

/** Stream → its short name in tokens (lower-case letters). */
export const SYNC_STREAMS = {
  events: 'e',
  // User data (services/sync-parts): account data, presence, receipts (stream_positions)
  // and typing (in memory per tenant).
  account_data: 'a',
  presence: 'p',
  receipts: 'r',
  typing: 't',
  // End-to-end encryption (services/sync-parts): to-device messages and device-list changes.
  to_device: 'd',
  device_lists: 'k',
} as const;

export type SyncStream = keyof typeof SYNC_STREAMS;
export type SyncToken = Readonly<Record<SyncStream, number>>;

const FORMAT = 's1';
const PART = /^([a-z]+)(0|[1-9]\d{0,15})$/;
const STREAM_BY_NAME = new Map<string, SyncStream>(Object.entries(SYNC_STREAMS).map(([stream, name]) => [name, stream as SyncStream]));

export function encodeSyncToken(token: SyncToken): string {
  const parts = (Object.keys(SYNC_STREAMS) as SyncStream[]).map((stream) => `${SYNC_STREAMS[stream]}${token[stream]}`);
  return [FORMAT, ...parts].join('_');
}

const ZERO_TOKEN = Object.fromEntries(Object.keys(SYNC_STREAMS).map((stream) => [stream, 0])) as Record<SyncStream, number>;

/** The token, or undefined when the text is not one. */
export function parseSyncToken(text: string): SyncToken | undefined {
  const parts = text.split('_');
  if (parts[0] !== FORMAT) return undefined;
  const token = { ...ZERO_TOKEN };
  const seen: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    const match = PART.exec(parts[i] as string);
    if (!match) return undefined;
    const [, name, position] = match as unknown as [string, string, string];
    if (seen.includes(name)) return undefined;
    seen.push(name);
    const stream = STREAM_BY_NAME.get(name);
    if (stream !== undefined) token[stream] = Number(position);
  }
  return token;
}

/** parseSyncToken for request parameters: a malformed token is 400 M_INVALID_PARAM. */
export function requireSyncToken(text: string, parameter: string): SyncToken {
  const token = parseSyncToken(text);
  if (!token) throw new MatrixError('M_INVALID_PARAM', `${parameter} is not a valid token`);
  return token;
}

/** A room position (prev_batch, /messages start/end): the events position; others at 0. */
export function roomPositionToken(position: number): string {
  return encodeSyncToken({ ...ZERO_TOKEN, events: Math.max(0, position) });
}
