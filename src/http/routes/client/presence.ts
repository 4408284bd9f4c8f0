// Presence: GET/PUT /presence/{userId}/status.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { getPresenceStatus } from '../../../services/presence/get-presence.ts';
import { PRESENCE_STATES } from '../../../services/presence/presence-view.ts';
import { setPresence } from '../../../services/presence/set-presence.ts';
import { requireStorableString } from '../../../services/validation/storable-json.ts';
import type { PresenceState } from '../../../storage/presence.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, requiredString } from '../../validation.ts';

/** Longest status message, in characters. */
export const MAX_STATUS_MSG_LENGTH = 1024;

const STATUS = '/_matrix/client/v3/presence/:userId/status';

export function presenceRoutes(app: FastifyInstance): void {
  app.get<{ Params: { userId: string } }>(STATUS, { config: { auth: 'required' } }, async (request) =>
    getPresenceStatus(request.tenant, requesterOf(request).userId, request.params.userId),
  );
  app.put<{ Params: { userId: string } }>(STATUS, { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const presence = requiredString(body, 'presence');
    if (!(PRESENCE_STATES as readonly string[]).includes(presence)) throw new MatrixError('M_INVALID_PARAM', 'presence must be online, unavailable or offline');
    const statusMsg = body.status_msg;
    if (statusMsg !== undefined && statusMsg !== null) {
      if (typeof statusMsg !== 'string') throw new MatrixError('M_BAD_JSON', 'status_msg must be a string');
      if ([...statusMsg].length > MAX_STATUS_MSG_LENGTH) throw new MatrixError('M_INVALID_PARAM', `status_msg must be at most ${MAX_STATUS_MSG_LENGTH} characters`);
      requireStorableString(statusMsg, 'status_msg');
    }
    return setPresence(request.tenant, requesterOf(request).userId, request.params.userId, {
      presence: presence as PresenceState,
      statusMsg: typeof statusMsg === 'string' && statusMsg !== '' ? statusMsg : null,
    });
  });
}
