import { printResult } from '../output.ts';
import { SETTINGS_OPTIONS, settingsBody } from '../settings-options.ts';
import { formatTenantDetails } from '../tenant-format.ts';
import type { NamedTenantCommand } from './command.ts';

export const createCommand: NamedTenantCommand = {
  name: 'create',
  summary: 'Create a tenant: a new Matrix server named <server_name>',
  details: '<server_name> is fixed for life: it is part of every user ID and room alias of the tenant.',
  takesServerName: true,
  options: SETTINGS_OPTIONS,
  async run(ctx, serverName, values) {
    const body = { server_name: serverName, ...settingsBody(values, 'create') };
    const tenant = await ctx.api().create(body);
    printResult(ctx, tenant, () => `Created tenant ${tenant.server_name}.\n\n${formatTenantDetails(tenant)}`);
    return 0;
  },
};
