// Sessions: GET/POST /login, POST /login/get_token (v1, as the spec places it), POST
// /refresh, POST /logout, POST /logout/all.
import type { FastifyInstance } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import { LOGIN_FLOWS, login } from '../../../services/auth/login.ts';
import { issueLoginToken } from '../../../services/auth/login-token.ts';
import { logout, logoutAll } from '../../../services/auth/logout.ts';
import { refreshAccessToken } from '../../../services/auth/refresh.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, optionalBoolean, optionalString, requiredString } from '../../validation.ts';
import { accountDeps } from './account-deps.ts';

export function loginRoutes(app: FastifyInstance, settings: AccountSettings): void {
  app.get('/_matrix/client/v3/login', async () => ({ flows: LOGIN_FLOWS }));

  app.post('/_matrix/client/v3/login', { config: { rateLimit: 'login' } }, async (request) => {
    const body = objectBody(request.body);
    return login(request.tenant, accountDeps(request, settings), {
      type: requiredString(body, 'type'),
      body,
      deviceId: optionalString(body, 'device_id', { nonEmpty: true, maxLength: 255 }),
      initialDeviceDisplayName: optionalString(body, 'initial_device_display_name', { maxLength: 512 }),
      refreshToken: optionalBoolean(body, 'refresh_token') ?? false,
    });
  });

  app.post('/_matrix/client/v1/login/get_token', { config: { auth: 'required', rateLimit: 'loginTokenIssue' } }, async (request) => {
    const body = objectBody(request.body);
    return issueLoginToken(request.tenant, accountDeps(request, settings), requesterOf(request), body.auth);
  });

  app.post('/_matrix/client/v3/refresh', async (request) => {
    const body = objectBody(request.body);
    return refreshAccessToken(request.tenant, accountDeps(request, settings), requiredString(body, 'refresh_token'));
  });

  app.post('/_matrix/client/v3/logout', { config: { auth: 'required' } }, async (request) => logout(request.tenant, requesterOf(request)));

  app.post('/_matrix/client/v3/logout/all', { config: { auth: 'required' } }, async (request) => logoutAll(request.tenant, requesterOf(request)));
}
