// Validation of PUT /sendToDevice/{eventType}/{txnId}: the path parameters and the body
// `{messages: {user_id: {device_id | "*": content}}}`. Recipients are split into local
// users (delivered to their inboxes) and users of other servers (federation).
import { MatrixError } from '../../errors/matrix-error.ts';
import { parseUserId } from '../../protocol/ids.ts';
import { requireStorableJson, requireStorableString } from '../validation/storable-json.ts';

/** Longest event type, in bytes (as for account data and room events). */
export const MAX_EVENT_TYPE_BYTES = 255;
/** Longest transaction ID, in bytes (it is stored in an index). */
export const MAX_TXN_ID_BYTES = 1_024;
/**
 * Most (user, device) entries one request may address, `*` counting once. Clients send a
 * batch per request (room keys to a room's devices); the body limit bounds the content
 * anyway, this bounds the work. More is 413 M_TOO_LARGE.
 */
export const MAX_TO_DEVICE_ENTRIES = 10_000;

/** The messages to one user: device ID (or `*`) → content. */
export type DeviceMessages = ReadonlyMap<string, Record<string, unknown>>;

export interface ToDeviceRequest {
  /** Users of this server, in the order of the body. */
  local: ReadonlyMap<string, DeviceMessages>;
  /** Users of other servers, by server name. */
  remote: ReadonlyMap<string, ReadonlyMap<string, DeviceMessages>>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireToDevicePath(eventType: string, txnId: string): void {
  if (eventType.length === 0) throw new MatrixError('M_INVALID_PARAM', 'The event type must not be empty');
  if (Buffer.byteLength(eventType) > MAX_EVENT_TYPE_BYTES) throw new MatrixError('M_INVALID_PARAM', `The event type must be at most ${MAX_EVENT_TYPE_BYTES} bytes`);
  requireStorableString(eventType, 'The event type', 'M_INVALID_PARAM');
  if (txnId.length === 0) throw new MatrixError('M_INVALID_PARAM', 'The transaction ID must not be empty');
  if (Buffer.byteLength(txnId) > MAX_TXN_ID_BYTES) throw new MatrixError('M_INVALID_PARAM', `The transaction ID must be at most ${MAX_TXN_ID_BYTES} bytes`);
  requireStorableString(txnId, 'The transaction ID', 'M_INVALID_PARAM');
}

/** Validates the body (400 M_MISSING_PARAM / M_BAD_JSON / M_INVALID_PARAM, 413 M_TOO_LARGE)
 * and splits the recipients by server. */
export function parseToDeviceBody(body: Record<string, unknown>, localServerName: string): ToDeviceRequest {
  const messages = body.messages;
  if (messages === undefined) throw new MatrixError('M_MISSING_PARAM', 'messages is required');
  if (!isObject(messages)) throw new MatrixError('M_BAD_JSON', 'messages must be an object of user IDs to objects of device IDs to contents');
  // Strings and keys PostgreSQL can store, nesting bounded: checked once for everything.
  requireStorableJson(messages, 'messages');
  const local = new Map<string, DeviceMessages>();
  const remote = new Map<string, Map<string, DeviceMessages>>();
  let entries = 0;
  for (const [userId, byDevice] of Object.entries(messages)) {
    const parsed = parseUserId(userId);
    if (!parsed) throw new MatrixError('M_INVALID_PARAM', `${userId} is not a valid user ID`);
    if (!isObject(byDevice)) throw new MatrixError('M_BAD_JSON', `messages.${userId} must be an object of device IDs to contents`);
    const devices = new Map<string, Record<string, unknown>>();
    for (const [deviceId, content] of Object.entries(byDevice)) {
      if (deviceId.length === 0) throw new MatrixError('M_INVALID_PARAM', `messages.${userId} has an empty device ID`);
      if (!isObject(content)) throw new MatrixError('M_BAD_JSON', `messages.${userId}.${deviceId} must be an object`);
      devices.set(deviceId, content);
    }
    entries += devices.size;
    if (entries > MAX_TO_DEVICE_ENTRIES) throw new MatrixError('M_TOO_LARGE', `A request may address at most ${MAX_TO_DEVICE_ENTRIES} devices`);
    if (devices.size === 0) continue;
    if (parsed.serverName === localServerName) {
      local.set(userId, devices);
    } else {
      let users = remote.get(parsed.serverName);
      if (!users) remote.set(parsed.serverName, (users = new Map()));
      users.set(userId, devices);
    }
  }
  return { local, remote };
}
