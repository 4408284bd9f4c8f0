// Registration settings of one tenant for the operator:
//   GET    …/tenants/{server_name}/registration-shared-secret      → {registration_shared_secret}
//   POST   …/tenants/{server_name}/registration-tokens             create {token?, uses_allowed?, expiry_time?, length?} → 201
//   GET    …/tenants/{server_name}/registration-tokens?valid=      list
//   GET    …/tenants/{server_name}/registration-tokens/{token}     show
//   DELETE …/tenants/{server_name}/registration-tokens/{token}     delete
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../errors/matrix-error.ts';
import type { TenantAdminDeps } from '../../services/tenants/deps.ts';
import { tenantDatabase } from '../../services/tenants/tenant-database.ts';
import { registrationSharedSecret } from '../../services/registration/shared-secret.ts';
import {
  createRegistrationToken,
  listRegistrationTokenViews,
  removeRegistrationToken,
  showRegistrationToken,
} from '../../services/registration/registration-tokens-admin.ts';

const BASE = '/_tessera/admin/v1/tenants/:serverName';

interface NameParams {
  serverName: string;
}

interface TokenParams extends NameParams {
  token: string;
}

function validFilter(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new MatrixError('M_INVALID_PARAM', 'valid must be true or false');
}

export function registrationAdminRoutes(app: FastifyInstance, deps: TenantAdminDeps): void {
  app.get<{ Params: NameParams }>(`${BASE}/registration-shared-secret`, async (request) => ({
    registration_shared_secret: await registrationSharedSecret(await tenantDatabase(deps, request.params.serverName)),
  }));

  app.post<{ Params: NameParams }>(`${BASE}/registration-tokens`, async (request, reply) =>
    reply.code(201).send(await createRegistrationToken(await tenantDatabase(deps, request.params.serverName), request.body)),
  );

  app.get<{ Params: NameParams; Querystring: { valid?: string } }>(`${BASE}/registration-tokens`, async (request) =>
    listRegistrationTokenViews(await tenantDatabase(deps, request.params.serverName), validFilter(request.query.valid)),
  );

  app.get<{ Params: TokenParams }>(`${BASE}/registration-tokens/:token`, async (request) =>
    showRegistrationToken(await tenantDatabase(deps, request.params.serverName), request.params.token),
  );

  app.delete<{ Params: TokenParams }>(`${BASE}/registration-tokens/:token`, async (request) =>
    removeRegistrationToken(await tenantDatabase(deps, request.params.serverName), request.params.token),
  );
}
