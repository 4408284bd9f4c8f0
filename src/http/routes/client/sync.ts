// GET /sync, and the filter API it uses: POST /user/{userId}/filter, GET
// /user/{userId}/filter/{filterId}.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { downloadFilter } from '../../../services/sync/download-filter.ts';
import { resolveSyncFilter } from '../../../services/sync/resolve-sync-filter.ts';
import { sync } from '../../../services/sync/sync.ts';
import { requireSyncToken } from '../../../services/sync/sync-token.ts';
import { uploadFilter } from '../../../services/sync/upload-filter.ts';
import { presenceOnSync } from '../../../services/presence/presence-on-sync.ts';
import type { PresenceState } from '../../../storage/presence.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { queryParam } from '../../validation.ts';
import { integerParam } from './rooms/events.ts';

function booleanParam(query: unknown, name: string): boolean {
  const value = queryParam(query, name);
  if (value === undefined) return false;
  if (value !== 'true' && value !== 'false') throw new MatrixError('M_INVALID_PARAM', `${name} must be true or false`);
  return value === 'true';
}

const PRESENCE = new Set(['offline', 'online', 'unavailable']);

export function syncRoutes(app: FastifyInstance): void {
  app.get('/_matrix/client/v3/sync', { config: { auth: 'required' } }, async (request, reply) => {
    const requester = requesterOf(request);
    const since = queryParam(request.query, 'since');
    const setPresence = queryParam(request.query, 'set_presence');
    if (setPresence !== undefined && !PRESENCE.has(setPresence)) throw new MatrixError('M_INVALID_PARAM', 'set_presence must be offline, online or unavailable');
    booleanParam(request.query, 'use_state_after'); // accepted; `state` is always served (see the spec's fallback rule)
    const options = {
      ...(since !== undefined && since !== '' ? { since: requireSyncToken(since, 'since') } : {}),
      filter: await resolveSyncFilter(request.tenant, requester.userId, queryParam(request.query, 'filter')),
      fullState: booleanParam(request.query, 'full_state'),
      timeoutMs: integerParam(request.query, 'timeout') ?? 0,
    };
    // The sync marks its user online (or unavailable) unless set_presence=offline.
    await presenceOnSync(request.tenant, requester.userId, (setPresence ?? 'online') as PresenceState);
    const aborted = new AbortController();
    const onClose = (): void => aborted.abort();
    reply.raw.once('close', onClose);
    try {
      return await sync(request.tenant, requester, { ...options, signal: aborted.signal });
    } finally {
      reply.raw.off('close', onClose);
    }
  });

  app.post<{ Params: { userId: string } }>('/_matrix/client/v3/user/:userId/filter', { config: { auth: 'required' } }, async (request) =>
    uploadFilter(request.tenant, requesterOf(request).userId, request.params.userId, request.body),
  );
  app.get<{ Params: { userId: string; filterId: string } }>('/_matrix/client/v3/user/:userId/filter/:filterId', { config: { auth: 'required' } }, async (request) =>
    downloadFilter(request.tenant, requesterOf(request).userId, request.params.userId, request.params.filterId),
  );
}
