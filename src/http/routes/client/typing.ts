// PUT /rooms/{roomId}/typing/{userId}.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { setTyping } from '../../../services/typing/set-typing.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody } from '../../validation.ts';

export function typingRoutes(app: FastifyInstance): void {
  app.put<{ Params: { roomId: string; userId: string } }>('/_matrix/client/v3/rooms/:roomId/typing/:userId', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    if (body.typing === undefined) throw new MatrixError('M_MISSING_PARAM', 'typing is required');
    if (typeof body.typing !== 'boolean') throw new MatrixError('M_BAD_JSON', 'typing must be true or false');
    const timeout = body.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || !Number.isInteger(timeout))) throw new MatrixError('M_BAD_JSON', 'timeout must be an integer');
    if (typeof timeout === 'number' && timeout < 0) throw new MatrixError('M_INVALID_PARAM', 'timeout must not be negative');
    return setTyping(request.tenant, requesterOf(request).userId, request.params, { typing: body.typing, ...(timeout !== undefined ? { timeoutMs: timeout } : {}) });
  });
}
