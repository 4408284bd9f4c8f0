import { printResult } from '../output.ts';
import { formatTenantDetails } from '../tenant-format.ts';
import type { NamedTenantCommand } from './command.ts';

export const showCommand: NamedTenantCommand = {
  name: 'show',
  summary: "Show a tenant's settings, state and signing keys",
  takesServerName: true,
  options: {},
  async run(ctx, serverName) {
    const tenant = await ctx.api().show(serverName);
    printResult(ctx, tenant, () => formatTenantDetails(tenant));
    return 0;
  },
};
