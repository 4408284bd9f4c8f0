// PUT /sendToDevice/{eventType}/{txnId}: puts one message per addressed device into its
// inbox, all at one to_device stream position (a device receives at most one message per
// request, so positions order each inbox totally), then wakes the recipients' syncs.
//
// - `*` addresses every device of the user; a device also named explicitly gets its own
//   message instead (the spec: one message per device per transaction).
// - Unknown users and devices are ignored; users of other servers go to federation
//   (remote-to-device.ts).
// - The transaction ID is scoped to the sending device and the endpoint path (event type
//   included), as the spec's "Transaction identifiers" say: a retransmission delivers
//   nothing again and answers 200 {} as the first request did.
import { MatrixError } from '../../errors/matrix-error.ts';
import { nextPosition } from '../../storage/stream-positions.ts';
import { claimToDeviceTxn, devicesOfUsers, insertToDeviceMessages, pruneToDeviceTxns, type ToDeviceDelivery } from '../../storage/to-device.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { sendRemoteToDevice } from './remote-to-device.ts';
import { parseToDeviceBody, requireToDevicePath, type DeviceMessages } from './to-device-request.ts';

/** Most inbox rows one request may create (`*` expands to every device of a user). */
export const MAX_TO_DEVICE_DELIVERIES = 20_000;
/** Most content bytes one request may store, summed over its deliveries. */
export const MAX_TO_DEVICE_STORED_BYTES = 32 * 1024 * 1024;
/** How long a transaction ID is remembered. Clients retry within minutes. */
export const TXN_RETENTION_MS = 24 * 60 * 60_000;
/** Old transactions pruned per request (more than one is recorded, so pruning keeps up). */
const PRUNE_BATCH = 100;

function isForeignKeyViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23503';
}

/** The inbox rows for the local recipients, given their devices (see the header). */
function deliveriesOf(local: ReadonlyMap<string, DeviceMessages>, devices: ReadonlyMap<string, readonly string[]>): ToDeviceDelivery[] {
  const deliveries: ToDeviceDelivery[] = [];
  const json = new Map<Record<string, unknown>, string>();
  let bytes = 0;
  for (const [userId, byDevice] of local) {
    const wildcard = byDevice.get('*');
    for (const deviceId of devices.get(userId) ?? []) {
      const content = byDevice.get(deviceId) ?? wildcard;
      if (content === undefined) continue;
      let text = json.get(content);
      if (text === undefined) json.set(content, (text = JSON.stringify(content)));
      bytes += Buffer.byteLength(text);
      deliveries.push({ userId, deviceId, contentJson: text });
    }
  }
  if (deliveries.length > MAX_TO_DEVICE_DELIVERIES) throw new MatrixError('M_TOO_LARGE', `A request may reach at most ${MAX_TO_DEVICE_DELIVERIES} devices`);
  if (bytes > MAX_TO_DEVICE_STORED_BYTES) throw new MatrixError('M_TOO_LARGE', 'The messages are too large for the number of devices they reach');
  return deliveries;
}

/** Stores the request in one transaction; undefined for a retransmission, else the users
 * who got messages. */
async function store(
  tenant: TenantContext,
  sender: Viewer,
  eventType: string,
  txnId: string,
  local: ReadonlyMap<string, DeviceMessages>,
): Promise<string[] | undefined> {
  return tenant.db.transaction().execute(async (trx) => {
    const fresh = await claimToDeviceTxn(trx, { userId: sender.userId, deviceId: sender.deviceId, eventType, txnId }, Date.now());
    if (!fresh) return undefined;
    const deliveries = deliveriesOf(local, await devicesOfUsers(trx, [...local.keys()]));
    if (deliveries.length === 0) return [];
    // Taken last: the stream's row lock serialises the tenant's to-device writers to commit.
    const position = await nextPosition(trx, 'to_device');
    await insertToDeviceMessages(trx, { sender: sender.userId, type: eventType, position }, deliveries);
    return [...new Set(deliveries.map((d) => d.userId))];
  });
}

export async function sendToDevice(
  tenant: TenantContext,
  sender: Viewer,
  params: { eventType: string; txnId: string },
  body: Record<string, unknown>,
): Promise<Record<string, never>> {
  const { eventType, txnId } = params;
  requireToDevicePath(eventType, txnId);
  const request = parseToDeviceBody(body, tenant.serverName);
  let recipients: string[] | undefined;
  try {
    recipients = await store(tenant, sender, eventType, txnId, request.local);
  } catch (error) {
    // A recipient device was deleted while we wrote: once more, without it.
    if (!isForeignKeyViolation(error)) throw error;
    recipients = await store(tenant, sender, eventType, txnId, request.local);
  }
  if (recipients === undefined) return {};
  if (recipients.length > 0) tenant.notifier.notify(recipients);
  if (request.remote.size > 0) sendRemoteToDevice(tenant, { sender: sender.userId, type: eventType }, request.remote);
  try {
    await pruneToDeviceTxns(tenant.db, Date.now() - TXN_RETENTION_MS, PRUNE_BATCH);
  } catch (error) {
    tenant.log.warn({ err: error }, 'pruning to-device transaction IDs failed');
  }
  return {};
}
