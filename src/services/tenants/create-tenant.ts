// Provisioning a tenant: reserve its name and hostnames, create and migrate its schema,
// generate its signing key, then mark it active. On failure nothing is left behind.
import { sql, type Kysely } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { migrateTenantSchema } from '../../db/migrate.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import { LATEST_TENANT_MIGRATION } from '../../../migrations/index.ts';
import {
  deleteTenantRow,
  getTenantByServerName,
  hostsTakenByOthers,
  insertTenant,
  replaceHosts,
  updateTenant,
} from '../../storage/control/tenants.ts';
import { insertSigningKey } from '../../storage/signing-keys.ts';
import type { TenantAdminDeps } from './deps.ts';
import { generateSigningKey } from './signing-key.ts';
import {
  SETTINGS_FIELDS,
  applyConfigSettings,
  parseClientHostnames,
  parseRegistration,
  parseServerNameParam,
  rejectUnknownFields,
  requireObject,
} from './tenant-settings.ts';
import { tenantViewWithKeys, type TenantView } from './tenant-view.ts';

const CREATE_FIELDS = ['server_name', ...SETTINGS_FIELDS] as const;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

export async function createTenant(deps: TenantAdminDeps, body: unknown): Promise<TenantView> {
  const input = requireObject(body);
  rejectUnknownFields(input, CREATE_FIELDS);
  if (input.server_name === undefined) throw new MatrixError('M_MISSING_PARAM', 'server_name is required');
  const serverName = parseServerNameParam(input.server_name);
  const clientHostnames = input.client_hostnames === undefined ? [] : parseClientHostnames(input.client_hostnames, serverName);
  const registration = input.registration === undefined ? 'closed' : parseRegistration(input.registration);
  const config = applyConfigSettings({}, input);

  if (await getTenantByServerName(deps.root, serverName)) {
    throw new MatrixError('TESSERA_TENANT_EXISTS', `A tenant named ${serverName} already exists`);
  }
  const taken = await hostsTakenByOthers(deps.root, [serverName, ...clientHostnames]);
  if (taken.length > 0) {
    throw new MatrixError('TESSERA_HOSTNAME_IN_USE', `Hostname already serves another tenant: ${taken.join(', ')}`);
  }

  let row;
  try {
    row = await deps.root.transaction().execute(async (trx) => {
      const inserted = await insertTenant(trx, { serverName, registration, config, dbCluster: 'default' });
      await replaceHosts(trx, inserted.id, serverName, clientHostnames);
      return inserted;
    });
  } catch (error) {
    // A concurrent create of the same name or hostname won the race.
    if (isUniqueViolation(error)) {
      throw new MatrixError('TESSERA_TENANT_EXISTS', `A tenant named ${serverName} or one of its hostnames already exists`);
    }
    throw error;
  }

  try {
    await migrateTenantSchema(deps.root as Kysely<unknown>, row.schema_name);
    const key = generateSigningKey();
    const tenantDb = deps.root.withSchema(row.schema_name) as unknown as Kysely<TenantDatabase>;
    await insertSigningKey(tenantDb, { ...key, createdTs: Date.now() });
    row = (await updateTenant(deps.root, row.id, { state: 'active', schema_version: LATEST_TENANT_MIGRATION })) ?? row;
  } catch (error) {
    deps.log.error({ err: error, tenant: serverName }, 'tenant provisioning failed; rolling back');
    await sql`DROP SCHEMA IF EXISTS ${sql.id(row.schema_name)} CASCADE`.execute(deps.root).catch(() => {});
    await deleteTenantRow(deps.root, row.id).catch(() => {});
    throw error;
  }
  await deps.tenantChanged(row.id);
  deps.log.info({ tenant: serverName, schema: row.schema_name }, 'tenant created');
  return tenantViewWithKeys(deps.root, row, [serverName, ...clientHostnames]);
}
