// The position of every stream now: the next_batch of a sync computed now. Streams kept in
// stream_positions are read in one query; a stream kept elsewhere (in memory, like typing)
// adds its position here.
import { streamPositions, syncStart, type SyncStart } from '../../storage/sync-head.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { Viewer } from '../rooms/client-event.ts';
import { currentTypingPosition } from '../sync-parts/typing.ts';
import type { SyncToken } from './sync-token.ts';

const STORED_STREAMS = ['events', 'account_data', 'presence', 'receipts', 'to_device', 'device_lists'] as const;

export async function currentSyncToken(tenant: TenantContext): Promise<SyncToken> {
  const stored = await streamPositions(tenant, STORED_STREAMS);
  return { ...stored, typing: currentTypingPosition(tenant) };
}

/** How a sync computation starts, in one query (storage/sync-head.ts): the current token,
 * the device's key stock, the user's memberships with activity since `since`, and the
 * unread counts of the active joined rooms. */
export async function syncHead(
  tenant: TenantContext,
  viewer: Viewer,
  since: number | undefined,
): Promise<Omit<SyncStart<(typeof STORED_STREAMS)[number]>, 'positions'> & { token: SyncToken }> {
  const { positions, ...rest } = await syncStart(tenant, STORED_STREAMS, viewer, since);
  return { token: { ...positions, typing: currentTypingPosition(tenant) }, ...rest };
}
