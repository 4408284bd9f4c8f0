// Verifying many PDUs at once, as a send_join response or a backfill needs (server-server
// API, "Validating hashes and signatures on received events"): per PDU its event ID, the
// signatures of every server that must have signed it, then its content hash.
import type { KeyObject } from 'node:crypto';
import { requiredSignatories } from '../protocol/auth/index.ts';
import { decodeBase64 } from '../protocol/base64.ts';
import { verifyContentHash } from '../protocol/event-hashes.ts';
import { tryEventId } from '../protocol/event-id.ts';
import { verifyEventSignatureWithKey } from '../protocol/event-signing.ts';
import { roomVersion as lookupRoomVersion } from '../protocol/room-versions.ts';
import { publicKeyFromRaw } from '../protocol/signing.ts';

/** server name → key ID → unpadded base64 ed25519 public key. Only keys the caller knows
 * and considers valid for these events belong here: a signature under any other key ID is
 * skipped, as the spec says for unknown or expired keys. */
export type ServerKeys = Record<string, Record<string, string>>;

export interface VerifyBatchInput {
  pdus: object[];
  roomVersion: string;
  keys: ServerKeys;
}

export interface PduVerdict {
  /** null when no ID can be computed (e.g. an event with no canonical JSON form). */
  eventId: string | null;
  /** True when every required signature and the content hash are valid. */
  ok: boolean;
  reason?: string;
  /** Signatures are valid but the content hash is not: per the spec the receiver must use
   * the redacted event instead of dropping it. */
  redact?: true;
}

export type VerifyBatchResult = { ok: true; results: PduVerdict[] } | { ok: false; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Public keys decoded once per batch; `null` marks an undecodable one. */
class KeyCache {
  readonly #keys: ServerKeys;
  readonly #decoded = new Map<string, KeyObject | null>();

  constructor(keys: ServerKeys) {
    this.#keys = keys;
  }

  get(server: string, keyId: string): KeyObject | null | undefined {
    const byServer = Object.hasOwn(this.#keys, server) ? this.#keys[server] : undefined;
    if (!isRecord(byServer) || !Object.hasOwn(byServer, keyId)) return undefined;
    const cacheKey = JSON.stringify([server, keyId]);
    if (!this.#decoded.has(cacheKey)) {
      const raw = byServer[keyId];
      const bytes = typeof raw === 'string' ? decodeBase64(raw) : undefined;
      let key: KeyObject | null = null;
      try {
        if (bytes) key = publicKeyFromRaw(bytes);
      } catch {
        key = null;
      }
      this.#decoded.set(cacheKey, key);
    }
    return this.#decoded.get(cacheKey);
  }
}

function verifyPdu(pdu: unknown, roomVersion: string, keys: KeyCache): PduVerdict {
  if (!isRecord(pdu)) return { eventId: null, ok: false, reason: 'PDU is not an object' };
  const id = tryEventId(pdu, roomVersion);
  if (!id.ok) return { eventId: null, ok: false, reason: id.reason };
  const eventId = id.id;
  const servers = requiredSignatories(pdu, roomVersion);
  if (servers === undefined) return { eventId, ok: false, reason: 'cannot tell which servers must sign this event' };
  const signatures = pdu.signatures;
  for (const server of servers) {
    const bySigner = isRecord(signatures) && Object.hasOwn(signatures, server) ? signatures[server] : undefined;
    if (!isRecord(bySigner)) return { eventId, ok: false, reason: `not signed by ${server}` };
    let checked = 0;
    for (const keyId of Object.keys(bySigner)) {
      const key = keys.get(server, keyId);
      if (key === undefined) continue;
      checked++;
      if (key === null) return { eventId, ok: false, reason: `public key ${server} ${keyId} is malformed` };
      if (!verifyEventSignatureWithKey(pdu, server, keyId, key, roomVersion)) {
        return { eventId, ok: false, reason: `bad signature by ${server} ${keyId}` };
      }
    }
    if (checked === 0) return { eventId, ok: false, reason: `no signature by ${server} under a known key` };
  }
  if (!verifyContentHash(pdu, roomVersion)) return { eventId, ok: false, reason: 'content hash does not match', redact: true };
  return { eventId, ok: true };
}

/** Verifies every PDU; never throws. A malformed batch (not the PDUs in it) is an error. */
export function verifyBatch(input: unknown): VerifyBatchResult {
  try {
    if (!isRecord(input)) return { ok: false, reason: 'input is not an object' };
    const { pdus, roomVersion, keys } = input;
    if (!Array.isArray(pdus)) return { ok: false, reason: 'pdus is not an array' };
    if (typeof roomVersion !== 'string' || lookupRoomVersion(roomVersion) === undefined) {
      return { ok: false, reason: `unknown room version ${String(roomVersion)}` };
    }
    if (!isRecord(keys)) return { ok: false, reason: 'keys is not an object' };
    const cache = new KeyCache(keys as ServerKeys);
    return { ok: true, results: (pdus as unknown[]).map((pdu) => verifyPdu(pdu, roomVersion, cache)) };
  } catch (error) {
    return { ok: false, reason: `verification failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
