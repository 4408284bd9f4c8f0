// Per-tenant discovery documents (client-server "Server Discovery", server-server "Resolving server names").
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';

export function wellKnownRoutes(app: FastifyInstance): void {
  app.get('/.well-known/matrix/client', async (request) => {
    const { config } = request.tenant;
    return { ...config.wellKnownClient, 'm.homeserver': { base_url: config.publicBaseUrl } };
  });
  app.get('/.well-known/matrix/server', async (request) => {
    const delegated = request.tenant.config.wellKnownServer;
    if (delegated === null) throw new MatrixError('M_NOT_FOUND', 'No server delegation is configured');
    return { 'm.server': delegated };
  });
}
