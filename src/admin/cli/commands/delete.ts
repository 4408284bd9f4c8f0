import { askYesNo } from '../confirm.ts';
import { CliFailure } from '../errors.ts';
import { flagOption } from '../option-values.ts';
import { printResult } from '../output.ts';
import type { CommandContext, NamedTenantCommand } from './command.ts';

/** Deleting cannot be undone, so it needs --yes or a "y" typed at a terminal. */
async function confirmDeletion(ctx: CommandContext, serverName: string): Promise<void> {
  const stdin = ctx.io.stdin;
  if (!stdin?.isTTY) {
    throw new CliFailure(`refusing to delete ${serverName} without confirmation: stdin is not a terminal; pass --yes to delete non-interactively`);
  }
  // A typo should fail as "not found" before anyone is asked to confirm it.
  await ctx.api().show(serverName);
  const confirmed = await askYesNo(stdin, ctx.io.stderr, `Delete tenant ${serverName} and ALL its data (users, rooms, events)? This cannot be undone.`);
  if (!confirmed) throw new CliFailure(`not confirmed; ${serverName} was not deleted`);
}

export const deleteCommand: NamedTenantCommand = {
  name: 'delete',
  summary: 'Delete a tenant and all its data (asks first)',
  takesServerName: true,
  options: { yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation' } },
  async run(ctx, serverName, values) {
    if (!flagOption(values, 'yes')) await confirmDeletion(ctx, serverName);
    const answer = await ctx.api().remove(serverName);
    printResult(ctx, answer, () => `Deleted tenant ${serverName}.`);
    return 0;
  },
};
