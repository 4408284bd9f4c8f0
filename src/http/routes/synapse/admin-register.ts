// Synapse-compatible shared-secret registration on the public listener, per tenant:
// GET /_synapse/admin/v1/register → {nonce}; POST with the nonce and the HMAC (see
// services/registration/shared-secret-register.ts). The operator reads the tenant's secret
// from the admin API.
import type { FastifyInstance } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import { MAX_PASSWORD_LENGTH } from '../../../services/accounts/password-policy.ts';
import { newRegistrationNonce, registerWithSharedSecret } from '../../../services/registration/shared-secret-register.ts';
import { objectBody, optionalBoolean, optionalString, requiredString } from '../../validation.ts';
import { accountDeps } from '../client/account-deps.ts';

const PATH = '/_synapse/admin/v1/register';
// Provisioning scripts create many accounts in a row; the MAC is the protection here (no
// password is hashed before it checks out), so the general per-client limit applies.
const CONFIG = { rateLimit: 'client' } as const;

export function sharedSecretRegistrationRoutes(app: FastifyInstance, settings: AccountSettings): void {
  app.get(PATH, { config: CONFIG }, async (request) => newRegistrationNonce(request.tenant, accountDeps(request, settings)));

  app.post(PATH, { config: CONFIG }, async (request) => {
    const body = objectBody(request.body);
    return registerWithSharedSecret(request.tenant, accountDeps(request, settings), {
      nonce: requiredString(body, 'nonce', { maxLength: 128 }),
      username: requiredString(body, 'username'),
      password: requiredString(body, 'password', { maxLength: MAX_PASSWORD_LENGTH }),
      admin: optionalBoolean(body, 'admin') ?? false,
      displayname: optionalString(body, 'displayname', { maxLength: 256 }),
      userType: optionalString(body, 'user_type', { maxLength: 64 }),
      mac: requiredString(body, 'mac', { maxLength: 128 }),
    });
  });
}
