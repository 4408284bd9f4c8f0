import type { FastifyRequest } from 'fastify';
import type { AccountSettings } from '../../../config/account-settings.ts';
import type { AccountDeps } from '../../../services/auth/deps.ts';

/** What account services need from a request: settings, the tenant's limiter, the client's address. */
export function accountDeps(request: FastifyRequest, settings: AccountSettings): AccountDeps {
  return { settings, limiter: request.limiter, ip: request.ip };
}
