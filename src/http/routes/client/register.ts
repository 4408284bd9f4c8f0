// Registration: POST /register, GET /register/available and the registration token
// validity check (the latter under /_matrix/client/v1, as the spec places it).
import type { FastifyInstance } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import { register } from '../../../services/accounts/register.ts';
import { checkUsernameAvailable } from '../../../services/accounts/username-available.ts';
import { MAX_PASSWORD_LENGTH } from '../../../services/accounts/password-policy.ts';
import { registrationTokenValidity } from '../../../services/registration/token-validity.ts';
import { objectBody, optionalBoolean, optionalString, queryParam, requiredQueryParam } from '../../validation.ts';
import { accountDeps } from './account-deps.ts';

const MAX_DEVICE_ID_LENGTH = 255;
const MAX_DISPLAY_NAME_LENGTH = 512;

export function registerRoutes(app: FastifyInstance, settings: AccountSettings): void {
  app.post('/_matrix/client/v3/register', { config: { rateLimit: 'register' } }, async (request) => {
    const body = objectBody(request.body);
    return register(request.tenant, accountDeps(request, settings), {
      kind: queryParam(request.query, 'kind') ?? 'user',
      username: optionalString(body, 'username'),
      password: optionalString(body, 'password', { maxLength: MAX_PASSWORD_LENGTH }),
      deviceId: optionalString(body, 'device_id', { nonEmpty: true, maxLength: MAX_DEVICE_ID_LENGTH }),
      initialDeviceDisplayName: optionalString(body, 'initial_device_display_name', { maxLength: MAX_DISPLAY_NAME_LENGTH }),
      inhibitLogin: optionalBoolean(body, 'inhibit_login') ?? false,
      refreshToken: optionalBoolean(body, 'refresh_token') ?? false,
      auth: body.auth,
    });
  });

  app.get('/_matrix/client/v3/register/available', { config: { rateLimit: 'usernameAvailability' } }, async (request) =>
    checkUsernameAvailable(request.tenant, requiredQueryParam(request.query, 'username')),
  );

  app.get('/_matrix/client/v1/register/m.login.registration_token/validity', { config: { rateLimit: 'registrationTokenValidity' } }, async (request) =>
    registrationTokenValidity(request.tenant, requiredQueryParam(request.query, 'token'), Date.now()),
  );
}
