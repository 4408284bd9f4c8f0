// Account management: GET /account/whoami, POST /account/password, POST /account/deactivate.
import type { FastifyInstance } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import { changePassword } from '../../../services/accounts/change-password.ts';
import { deactivateAccount } from '../../../services/accounts/deactivate.ts';
import { MAX_PASSWORD_LENGTH } from '../../../services/accounts/password-policy.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, optionalBoolean, optionalString, requiredString } from '../../validation.ts';
import { accountDeps } from './account-deps.ts';

export function accountRoutes(app: FastifyInstance, settings: AccountSettings): void {
  app.get('/_matrix/client/v3/account/whoami', { config: { auth: 'required' } }, async (request) => {
    const { userId, deviceId, isGuest } = requesterOf(request);
    return { user_id: userId, device_id: deviceId, is_guest: isGuest };
  });

  app.post('/_matrix/client/v3/account/password', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    return changePassword(request.tenant, accountDeps(request, settings), requesterOf(request), {
      newPassword: requiredString(body, 'new_password', { maxLength: MAX_PASSWORD_LENGTH }),
      logoutDevices: optionalBoolean(body, 'logout_devices') ?? true,
      auth: body.auth,
    });
  });

  app.post('/_matrix/client/v3/account/deactivate', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    optionalString(body, 'id_server');
    return deactivateAccount(request.tenant, accountDeps(request, settings), requesterOf(request), {
      erase: optionalBoolean(body, 'erase') ?? false,
      auth: body.auth,
    });
  });
}
