// GET /capabilities.
import type { FastifyInstance } from 'fastify';
import { getCapabilities } from '../../../services/capabilities/get-capabilities.ts';

export function capabilitiesRoutes(app: FastifyInstance): void {
  app.get('/_matrix/client/v3/capabilities', { config: { auth: 'required' } }, async (request) => getCapabilities(request.tenant));
}
