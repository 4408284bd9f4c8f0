import type { FastifyInstance } from 'fastify';

/** Spec versions this server implements. v1.x releases are backwards compatible, and
 * clients test for individual versions, so every version up to the newest is listed. */
export const SUPPORTED_CLIENT_VERSIONS = ['v1.1', 'v1.2', 'v1.3', 'v1.4', 'v1.5', 'v1.6', 'v1.7', 'v1.8', 'v1.9', 'v1.10', 'v1.11'];

export function versionsRoutes(app: FastifyInstance): void {
  app.get('/_matrix/client/versions', async () => ({ versions: SUPPORTED_CLIENT_VERSIONS, unstable_features: {} }));
}
