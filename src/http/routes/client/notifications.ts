// GET /notifications?from=&limit=&only=highlight
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { getNotifications } from '../../../services/push/get-notifications.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { queryParam } from '../../validation.ts';

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new MatrixError('M_INVALID_PARAM', 'limit must be a non-negative integer');
  return Number(text);
}

export function notificationRoutes(app: FastifyInstance): void {
  app.get('/_matrix/client/v3/notifications', { config: { auth: 'required' } }, async (request) => {
    const from = queryParam(request.query, 'from');
    const limit = parseLimit(queryParam(request.query, 'limit'));
    const only = queryParam(request.query, 'only');
    return getNotifications(request.tenant, requesterOf(request), {
      ...(from !== undefined ? { from } : {}),
      ...(limit !== undefined ? { limit } : {}),
      onlyHighlight: only === 'highlight',
    });
  });
}
