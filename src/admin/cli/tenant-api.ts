// The tenant management endpoints as typed calls. Server names go into the path encoded:
// they may contain ':' and '[...]' (IPv6 literals).
import type { TenantPage } from '../../services/tenants/list-tenants.ts';
import type { TenantView } from '../../services/tenants/tenant-view.ts';
import { callAdminApi } from './admin-client.ts';
import type { AdminConnection } from './connection.ts';

export type { TenantPage, TenantView };

const BASE = '/_tessera/admin/v1/tenants';

/** Settings in admin API spelling; `null` resets one to its default (update only). */
export type TenantSettingsBody = Record<string, unknown>;

export interface TenantListQuery {
  limit?: string;
  from?: string;
  state?: string;
}

export interface TenantApi {
  create(body: TenantSettingsBody): Promise<TenantView>;
  list(query: TenantListQuery): Promise<TenantPage>;
  show(serverName: string): Promise<TenantView>;
  update(serverName: string, body: TenantSettingsBody): Promise<TenantView>;
  remove(serverName: string): Promise<unknown>;
  suspend(serverName: string, reason: string | undefined): Promise<TenantView>;
  resume(serverName: string): Promise<TenantView>;
  rotateKey(serverName: string): Promise<TenantView>;
}

function tenantPath(serverName: string, suffix = ''): string {
  return `${BASE}/${encodeURIComponent(serverName)}${suffix}`;
}

function queryString(query: TenantListQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function tenantApi(connection: AdminConnection): TenantApi {
  const call = (method: string, path: string, body?: unknown) => callAdminApi(connection, method, path, body);
  return {
    create: async (body) => (await call('POST', BASE, body)) as TenantView,
    list: async (query) => (await call('GET', `${BASE}${queryString(query)}`)) as TenantPage,
    show: async (name) => (await call('GET', tenantPath(name))) as TenantView,
    update: async (name, body) => (await call('PATCH', tenantPath(name), body)) as TenantView,
    remove: async (name) => call('DELETE', tenantPath(name)),
    suspend: async (name, reason) => (await call('POST', tenantPath(name, '/suspend'), reason === undefined ? {} : { reason })) as TenantView,
    resume: async (name) => (await call('POST', tenantPath(name, '/resume'), {})) as TenantView,
    rotateKey: async (name) => (await call('POST', tenantPath(name, '/keys/rotate'), {})) as TenantView,
  };
}
