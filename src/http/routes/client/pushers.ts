// GET /pushers and POST /pushers/set.
import type { FastifyInstance } from 'fastify';
import { listPushers } from '../../../services/push/list-pushers.ts';
import { setPusher } from '../../../services/push/set-pusher.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody } from '../../validation.ts';

export function pusherRoutes(app: FastifyInstance): void {
  app.get('/_matrix/client/v3/pushers', { config: { auth: 'required' } }, async (request) => listPushers(request.tenant, requesterOf(request)));
  app.post('/_matrix/client/v3/pushers/set', { config: { auth: 'required' } }, async (request) =>
    setPusher(request.tenant, requesterOf(request), objectBody(request.body)),
  );
}
