import { stringOption } from '../option-values.ts';
import { printResult } from '../output.ts';
import type { NamedTenantCommand } from './command.ts';

export const suspendCommand: NamedTenantCommand = {
  name: 'suspend',
  summary: 'Refuse every request for a tenant (403), keeping all its data',
  takesServerName: true,
  options: { reason: { type: 'string', valueName: 'text', description: 'Why, for the record (at most 500 characters)' } },
  async run(ctx, serverName, values) {
    const tenant = await ctx.api().suspend(serverName, stringOption(values, 'reason'));
    printResult(
      ctx,
      tenant,
      () => `Suspended tenant ${tenant.server_name}; "tessera tenant resume ${tenant.server_name}" serves it again.`,
    );
    return 0;
  },
};
