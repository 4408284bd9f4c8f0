// POST /rooms/{roomId}/read_markers: the fully read marker and, in the same call, the m.read
// and m.read.private receipts (each exactly as /receipt would set it). Every given event is
// checked before anything is written.
import type { TenantContext } from '../../tenancy/context.ts';
import { markUserActive } from '../presence/mark-user-active.ts';
import { putReceipt } from './put-receipt.ts';
import { requireJoinedForReceipts, requireRoomEvent } from './receipt-target.ts';
import { setFullyRead } from './set-fully-read.ts';

export interface ReadMarkers {
  fullyRead?: string;
  read?: string;
  readPrivate?: string;
}

export async function setReadMarkers(tenant: TenantContext, userId: string, roomId: string, markers: ReadMarkers): Promise<Record<string, never>> {
  await requireJoinedForReceipts(tenant, userId, roomId);
  const eventOf = (id: string | undefined) => (id === undefined ? undefined : requireRoomEvent(tenant, roomId, id));
  const [fullyRead, read, readPrivate] = await Promise.all([eventOf(markers.fullyRead), eventOf(markers.read), eventOf(markers.readPrivate)]);
  if (fullyRead) await setFullyRead(tenant, userId, fullyRead);
  if (read) await putReceipt(tenant, userId, 'm.read', read, undefined);
  if (readPrivate) await putReceipt(tenant, userId, 'm.read.private', readPrivate, undefined);
  await markUserActive(tenant, userId);
  return {};
}
