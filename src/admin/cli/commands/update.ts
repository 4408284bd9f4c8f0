import { UsageError } from '../errors.ts';
import { printResult } from '../output.ts';
import { RESET_OPTION, SETTINGS_OPTIONS, settingsBody } from '../settings-options.ts';
import { formatTenantDetails } from '../tenant-format.ts';
import type { NamedTenantCommand } from './command.ts';

export const updateCommand: NamedTenantCommand = {
  name: 'update',
  summary: "Change a tenant's settings (only those given)",
  details: 'The server name cannot change. --client-hostname replaces the whole list of client hostnames.',
  takesServerName: true,
  options: { ...SETTINGS_OPTIONS, reset: RESET_OPTION },
  async run(ctx, serverName, values) {
    const body = settingsBody(values, 'update');
    if (Object.keys(body).length === 0) throw new UsageError('nothing to update: give at least one setting or --reset', 'update');
    const tenant = await ctx.api().update(serverName, body);
    printResult(ctx, tenant, () => `Updated tenant ${tenant.server_name}.\n\n${formatTenantDetails(tenant)}`);
    return 0;
  },
};
