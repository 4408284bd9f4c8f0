import type { FastifyInstance } from 'fastify';
import { TESSERA_VERSION } from '../../../version.ts';

export function federationVersionRoutes(app: FastifyInstance): void {
  app.get('/_matrix/federation/v1/version', async () => ({ server: { name: 'Tessera', version: TESSERA_VERSION } }));
}
