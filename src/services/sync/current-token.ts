// The position of every stream now: the next_batch of a sync computed now. Streams kept in
// stream_positions are read in one query; a stream kept elsewhere (in memory, like typing)
// would add its position here.
import { currentPositions } from '../../storage/stream-positions.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { currentTypingPosition } from '../sync-parts/typing.ts';
import type { SyncToken } from './sync-token.ts';

export async function currentSyncToken(tenant: TenantContext): Promise<SyncToken> {
  const stored = await currentPositions(tenant.db, ['events', 'account_data', 'presence', 'receipts', 'to_device', 'device_lists'] as const);
  return { ...stored, typing: currentTypingPosition(tenant) };
}
