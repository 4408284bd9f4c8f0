// The fully read marker (spec "Fully read markers"): room account data m.fully_read
// `{ "event_id": … }`, written only by the server and only moving forward (an older event
// than the current marker's leaves it alone).
import { getEvent, type StoredEvent } from '../../storage/rooms/events.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import { updateAccountData } from '../account-data/write-account-data.ts';
import { FULLY_READ } from './receipt-target.ts';

export async function setFullyRead(tenant: TenantContext, userId: string, event: StoredEvent): Promise<void> {
  await updateAccountData(tenant, userId, event.roomId, FULLY_READ, async (current, trx) => {
    const currentId = current?.event_id;
    if (typeof currentId === 'string') {
      const marked = await getEvent(trx, currentId);
      if (marked && marked.roomId === event.roomId && marked.streamOrdering >= event.streamOrdering) return undefined;
    }
    return { event_id: event.eventId };
  });
}
