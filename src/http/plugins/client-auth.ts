// Client authentication for the public listener. A route declares what it needs in its
// config: `auth: 'required'` (no token → 401 M_MISSING_TOKEN) or `auth: 'optional'`; routes
// without `auth` are not looked at. The token comes from `Authorization: Bearer` or the
// deprecated `access_token` query parameter; a token that is present must be valid in
// either mode (401 M_UNKNOWN_TOKEN, with soft_logout for expired ones).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MatrixError } from '../../errors/matrix-error.ts';
import { authenticateAccessToken, type Requester } from '../../services/auth/authenticate.ts';
import type { AccountSettings } from '../../config/account-settings.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user; set on routes with `config.auth` when a valid token was given. */
    requester: Requester | undefined;
  }
  interface FastifyContextConfig {
    auth?: 'required' | 'optional';
  }
}

/** The access token of a request, if it carries one. */
export function accessTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match) return match[1];
  }
  const query = (request.query as Record<string, unknown> | undefined)?.access_token;
  if (typeof query === 'string' && query.length > 0) return query;
  return undefined;
}

/** The requester of a route declared `auth: 'required'`. */
export function requesterOf(request: FastifyRequest): Requester {
  if (!request.requester) throw new MatrixError('M_MISSING_TOKEN', 'Missing access token');
  return request.requester;
}

export function authenticateClients(app: FastifyInstance, settings: AccountSettings): void {
  app.decorateRequest('requester', undefined);
  app.addHook('onRequest', async (request) => {
    const mode = request.routeOptions.config?.auth;
    if (mode === undefined) return;
    const token = accessTokenOf(request);
    if (token === undefined) {
      if (mode === 'required') throw new MatrixError('M_MISSING_TOKEN', 'Missing access token');
      return;
    }
    request.requester = await authenticateAccessToken(request.tenant, { settings, ip: request.ip }, token);
  });
}
