// Tenant management: /_tessera/admin/v1/tenants. Thin: each route validates and calls a service.
import type { FastifyInstance } from 'fastify';
import type { TenantAdminDeps } from '../../services/tenants/deps.ts';
import { createTenant } from '../../services/tenants/create-tenant.ts';
import { deleteTenant } from '../../services/tenants/delete-tenant.ts';
import { findTenantOrThrow } from '../../services/tenants/find-tenant.ts';
import { listTenantPage } from '../../services/tenants/list-tenants.ts';
import { rotateSigningKey } from '../../services/tenants/rotate-key.ts';
import { resumeTenant, suspendTenant } from '../../services/tenants/tenant-state.ts';
import { tenantViewWithKeys } from '../../services/tenants/tenant-view.ts';
import { updateTenantSettings } from '../../services/tenants/update-tenant.ts';

const BASE = '/_tessera/admin/v1/tenants';

interface NameParams {
  serverName: string;
}

export function tenantAdminRoutes(app: FastifyInstance, deps: TenantAdminDeps): void {
  app.post(BASE, async (request, reply) => reply.code(201).send(await createTenant(deps, request.body)));
  app.get<{ Querystring: { limit?: string; from?: string; state?: string } }>(BASE, async (request) =>
    listTenantPage(deps, request.query),
  );
  app.get<{ Params: NameParams }>(`${BASE}/:serverName`, async (request) => {
    const tenant = await findTenantOrThrow(deps, request.params.serverName);
    return tenantViewWithKeys(deps.root, tenant, tenant.hosts);
  });
  app.patch<{ Params: NameParams }>(`${BASE}/:serverName`, async (request) =>
    updateTenantSettings(deps, request.params.serverName, request.body),
  );
  app.delete<{ Params: NameParams }>(`${BASE}/:serverName`, async (request) => {
    await deleteTenant(deps, request.params.serverName);
    return {};
  });
  app.post<{ Params: NameParams }>(`${BASE}/:serverName/suspend`, async (request) =>
    suspendTenant(deps, request.params.serverName, request.body),
  );
  app.post<{ Params: NameParams }>(`${BASE}/:serverName/resume`, async (request) => resumeTenant(deps, request.params.serverName));
  app.post<{ Params: NameParams }>(`${BASE}/:serverName/keys/rotate`, async (request) =>
    rotateSigningKey(deps, request.params.serverName),
  );
}
