import type { FastifyInstance, FastifyRequest } from 'fastify';
import { serverKeysResponse } from '../../../services/server-keys.ts';

export function serverKeyRoutes(app: FastifyInstance, options: { keyValidityMs: number }): void {
  const handler = async (request: FastifyRequest) => serverKeysResponse(request.tenant, Date.now(), options.keyValidityMs);
  app.get('/_matrix/key/v2/server', handler);
  // Deprecated form with a key id; servers answer with all keys regardless.
  app.get('/_matrix/key/v2/server/:keyId', handler);
}
