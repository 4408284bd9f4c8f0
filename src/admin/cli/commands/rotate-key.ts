import { printResult } from '../output.ts';
import { formatTenantKeys } from '../tenant-format.ts';
import type { NamedTenantCommand } from './command.ts';

export const rotateKeyCommand: NamedTenantCommand = {
  name: 'rotate-key',
  summary: 'Give a tenant a new signing key (old ones stay published)',
  takesServerName: true,
  options: {},
  async run(ctx, serverName) {
    const tenant = await ctx.api().rotateKey(serverName);
    printResult(ctx, tenant, () => `Rotated the signing key of ${tenant.server_name}.\n\n${formatTenantKeys(tenant)}`);
    return 0;
  },
};
