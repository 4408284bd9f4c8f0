// Help text, generated from the command table so it cannot drift from what is parsed.
import type { OptionSpec, TenantCommand } from './commands/command.ts';
import { TENANT_COMMANDS } from './commands/index.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';
import { alignColumns } from './layout.ts';

function synopsis(command: TenantCommand): string {
  return `tenant ${command.name}${command.takesServerName ? ' <server_name>' : ''}`;
}

function optionLines(specs: Record<string, OptionSpec>): string {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` <${spec.valueName ?? 'value'}>` : ''}`;
    return ['  ' + flag, spec.description];
  });
  return alignColumns(rows);
}

export function generalUsage(): string {
  const commands = TENANT_COMMANDS.map((command) => [`  ${synopsis(command)}`, command.summary]);
  commands.push(['  help [tenant <command>]', 'Show this help, or the options of one command']);
  return [
    'Usage: tessera <command> [options]',
    '',
    'Manage the tenants of a Tessera shard through its admin API.',
    '',
    'Commands:',
    alignColumns(commands),
    '',
    'Options (every command):',
    optionLines(GLOBAL_OPTIONS),
    '',
    'Run "tessera help tenant <command>" for the options of a command.',
  ].join('\n');
}

export function commandUsage(command: TenantCommand): string {
  const hasOptions = Object.keys(command.options).length > 0;
  return [
    `Usage: tessera ${synopsis(command)}${hasOptions ? ' [options]' : ''}`,
    '',
    `${command.summary}.${command.details ? `\n${command.details}` : ''}`,
    ...(hasOptions ? ['', 'Options:', optionLines(command.options)] : []),
    '',
    'Options (every command):',
    optionLines(GLOBAL_OPTIONS),
  ].join('\n');
}
