// `tessera`: the operator CLI over the admin API. runCli is the whole program minus the
// process: it takes argv and I/O and returns the exit code (0 ok, 1 failed, 2 bad usage).
import { parseCommandLine } from './args.ts';
import type { CommandContext, OptionValues } from './commands/command.ts';
import { findTenantCommand } from './commands/index.ts';
import { resolveConnection } from './connection.ts';
import { printable } from './display-text.ts';
import { ApiError, CliFailure, UsageError } from './errors.ts';
import type { CliIo } from './io.ts';
import { tenantApi, type TenantApi } from './tenant-api.ts';
import { commandUsage, generalUsage } from './usage.ts';

export type { CliIo } from './io.ts';

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function commandContext(io: CliIo, values: OptionValues): CommandContext {
  let api: TenantApi | undefined;
  return {
    io,
    json: values.json === true,
    api: () => (api ??= tenantApi(resolveConnection(values, io.env))),
  };
}

function reportFailure(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    const command = error.command === undefined ? undefined : findTenantCommand(error.command);
    io.stderr.write(`tessera: ${printable(error.message)}\n\n${command ? commandUsage(command) : generalUsage()}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof ApiError) {
    io.stderr.write(`tessera: ${printable(error.errcode)}: ${printable(error.message)}\n`);
    return EXIT_FAILED;
  }
  if (error instanceof CliFailure) {
    io.stderr.write(`tessera: ${printable(error.message)}\n`);
    return EXIT_FAILED;
  }
  // A bug: keep the stack, it is what a report needs.
  io.stderr.write(`tessera: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILED;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const invocation = parseCommandLine(argv);
    switch (invocation.kind) {
      case 'help':
        io.stdout.write(`${invocation.command ? commandUsage(invocation.command) : generalUsage()}\n`);
        return EXIT_OK;
      case 'named':
        return await invocation.command.run(commandContext(io, invocation.values), invocation.serverName, invocation.values);
      case 'all':
        return await invocation.command.run(commandContext(io, invocation.values), invocation.values);
    }
  } catch (error) {
    return reportFailure(io, error);
  }
}
