import { printResult } from '../output.ts';
import type { NamedTenantCommand } from './command.ts';

export const resumeCommand: NamedTenantCommand = {
  name: 'resume',
  summary: 'Serve a suspended tenant again',
  takesServerName: true,
  options: {},
  async run(ctx, serverName) {
    const tenant = await ctx.api().resume(serverName);
    printResult(ctx, tenant, () => `Resumed tenant ${tenant.server_name}; it is ${tenant.state}.`);
    return 0;
  },
};
