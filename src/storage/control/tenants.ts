// Queries on control.tenants and control.tenant_hosts.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ControlDatabase, TenantConfigColumn, TenantRow } from '../../db/schema-types.ts';

type Db = Kysely<ControlDatabase> | Transaction<ControlDatabase>;

export interface TenantWithHosts extends TenantRow {
  hosts: string[];
}

/** The tenant that owns one of the candidate hosts, preferring the earliest candidate. */
export async function findTenantByHosts(db: Db, candidates: string[]): Promise<{ row: TenantRow; host: string } | undefined> {
  if (candidates.length === 0) return undefined;
  const rows = await db
    .selectFrom('control.tenant_hosts as h')
    .innerJoin('control.tenants as t', 't.id', 'h.tenant_id')
    .selectAll('t')
    .select('h.host as matched_host')
    .where('h.host', 'in', candidates)
    .execute();
  for (const candidate of candidates) {
    const match = rows.find((r) => r.matched_host === candidate);
    if (match) {
      const { matched_host, ...row } = match;
      return { row, host: matched_host };
    }
  }
  return undefined;
}

export async function getTenantById(db: Db, id: string): Promise<TenantRow | undefined> {
  return db.selectFrom('control.tenants').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getTenantByServerName(db: Db, serverName: string): Promise<TenantWithHosts | undefined> {
  const row = await db.selectFrom('control.tenants').selectAll().where('server_name', '=', serverName).executeTakeFirst();
  if (!row) return undefined;
  return { ...row, hosts: await listHosts(db, row.id) };
}

export async function listHosts(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('control.tenant_hosts')
    .select(['host', 'is_server_name'])
    .where('tenant_id', '=', tenantId)
    .orderBy('is_server_name', 'desc')
    .orderBy('host')
    .execute();
  return rows.map((r) => r.host);
}

export async function listTenants(
  db: Db,
  options: { afterId?: string; limit: number; state?: TenantRow['state'] },
): Promise<TenantWithHosts[]> {
  let query = db.selectFrom('control.tenants').selectAll().orderBy('id').limit(options.limit);
  if (options.afterId !== undefined) query = query.where('id', '>', options.afterId);
  if (options.state !== undefined) query = query.where('state', '=', options.state);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const hosts = await db
    .selectFrom('control.tenant_hosts')
    .select(['tenant_id', 'host', 'is_server_name'])
    .where(
      'tenant_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('is_server_name', 'desc')
    .orderBy('host')
    .execute();
  return rows.map((row) => ({ ...row, hosts: hosts.filter((h) => h.tenant_id === row.id).map((h) => h.host) }));
}

export async function countTenants(db: Db, state?: TenantRow['state']): Promise<number> {
  let query = db.selectFrom('control.tenants').select(sql<string>`count(*)`.as('n'));
  if (state !== undefined) query = query.where('state', '=', state);
  const { n } = await query.executeTakeFirstOrThrow();
  return Number(n);
}

export async function insertTenant(
  db: Db,
  values: { serverName: string; registration: TenantRow['registration']; config: TenantConfigColumn; dbCluster: string },
): Promise<TenantRow> {
  // The schema name derives from the id, so take the id first.
  const { id } = await db
    .selectNoFrom(sql<string>`nextval(pg_get_serial_sequence('control.tenants', 'id'))`.as('id'))
    .executeTakeFirstOrThrow();
  return db
    .insertInto('control.tenants')
    .values({
      id,
      server_name: values.serverName,
      schema_name: `t_${id}`,
      db_cluster: values.dbCluster,
      state: 'provisioning',
      registration: values.registration,
      config: JSON.stringify(values.config),
    } as never)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function replaceHosts(db: Db, tenantId: string, serverNameKey: string, clientHosts: string[]): Promise<void> {
  await db.deleteFrom('control.tenant_hosts').where('tenant_id', '=', tenantId).execute();
  await db
    .insertInto('control.tenant_hosts')
    .values([
      { host: serverNameKey, tenant_id: tenantId, is_server_name: true },
      ...clientHosts.map((host) => ({ host, tenant_id: tenantId, is_server_name: false })),
    ])
    .execute();
}

/** Which of these hosts already belong to a tenant other than `exceptTenantId`. */
export async function hostsTakenByOthers(db: Db, hosts: string[], exceptTenantId?: string): Promise<string[]> {
  if (hosts.length === 0) return [];
  let query = db.selectFrom('control.tenant_hosts').select('host').where('host', 'in', hosts);
  if (exceptTenantId !== undefined) query = query.where('tenant_id', '!=', exceptTenantId);
  return (await query.execute()).map((r) => r.host);
}

export async function updateTenant(
  db: Db,
  id: string,
  values: Partial<{
    state: TenantRow['state'];
    suspended_reason: string | null;
    suspended_at: Date | null;
    registration: TenantRow['registration'];
    config: TenantConfigColumn;
    schema_version: string;
  }>,
): Promise<TenantRow | undefined> {
  const { config, ...rest } = values;
  return db
    .updateTable('control.tenants')
    .set({ ...rest, ...(config !== undefined ? { config: JSON.stringify(config) } : {}), updated_at: sql`now()` } as never)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteTenantRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('control.tenants').where('id', '=', id).execute();
}

/** Tells every shard (through LISTEN) that a tenant changed, so each drops what it cached.
 * The payload names the shard that made the change, which already dropped its own cache. */
export async function notifyTenantChanged(db: Db, id: string, originShard: string): Promise<void> {
  await sql`SELECT pg_notify('tessera_tenants', ${`${id}:${originShard}`})`.execute(db);
}

/** Reads a change notification's payload: `<tenant id>:<origin shard>` (or a bare id). */
export function parseTenantChange(payload: string): { tenantId: string; originShard?: string } {
  const colon = payload.indexOf(':');
  return colon < 0 ? { tenantId: payload } : { tenantId: payload.slice(0, colon), originShard: payload.slice(colon + 1) };
}
