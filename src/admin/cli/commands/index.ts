// Every `tessera tenant` command, in the order help lists them.
import type { TenantCommand } from './command.ts';
import { createCommand } from './create.ts';
import { deleteCommand } from './delete.ts';
import { listCommand } from './list.ts';
import { resumeCommand } from './resume.ts';
import { rotateKeyCommand } from './rotate-key.ts';
import { showCommand } from './show.ts';
import { suspendCommand } from './suspend.ts';
import { updateCommand } from './update.ts';

export const TENANT_COMMANDS: readonly TenantCommand[] = [
  createCommand,
  listCommand,
  showCommand,
  updateCommand,
  suspendCommand,
  resumeCommand,
  deleteCommand,
  rotateKeyCommand,
];

export function findTenantCommand(name: string): TenantCommand | undefined {
  return TENANT_COMMANDS.find((command) => command.name === name);
}
