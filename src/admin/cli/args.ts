// argv → what to do. Options may come anywhere; each must belong to the command or be global.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { AllTenantsCommand, NamedTenantCommand, OptionSpec, OptionValues, TenantCommand } from './commands/command.ts';
import { TENANT_COMMANDS, findTenantCommand } from './commands/index.ts';
import { UsageError } from './errors.ts';
import { GLOBAL_OPTIONS } from './global-options.ts';

export type Invocation =
  | { kind: 'help'; command?: TenantCommand }
  | { kind: 'named'; command: NamedTenantCommand; serverName: string; values: OptionValues }
  | { kind: 'all'; command: AllTenantsCommand; values: OptionValues };

function toParseArgsConfig(specs: Record<string, OptionSpec>): ParseArgsOptionsConfig {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, spec] of Object.entries(specs)) {
    // parseArgs rejects keys it does not know and explicit undefineds, so copy only what is set.
    config[name] = { type: spec.type, ...(spec.multiple ? { multiple: true } : {}), ...(spec.short ? { short: spec.short } : {}) };
  }
  return config;
}

// One parse over every option of every command (they agree on types); applicability is checked after.
const ALL_OPTIONS = toParseArgsConfig(Object.assign({}, GLOBAL_OPTIONS, ...TENANT_COMMANDS.map((command) => command.options)));

function parseErrorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${/'([^']+)'/.exec(message)?.[1] ?? message}`;
  return message;
}

function tenantCommandOf(words: readonly string[]): TenantCommand | undefined {
  const [first, second, third] = words;
  if (first === 'tenant' && second !== undefined) return findTenantCommand(second);
  if (first === 'help' && second === 'tenant' && third !== undefined) return findTenantCommand(third);
  return undefined;
}

function helpInvocation(topic: readonly string[]): Invocation {
  if (topic.length === 0 || (topic.length === 1 && topic[0] === 'tenant')) return { kind: 'help' };
  const [first, second] = topic;
  // "help tenant create" and, forgivingly, "help create".
  const name = first === 'tenant' ? second : first;
  const command = name === undefined ? undefined : findTenantCommand(name);
  if (!command || topic.length > (first === 'tenant' ? 2 : 1)) throw new UsageError(`no help for "${topic.join(' ')}"`);
  return { kind: 'help', command };
}

function rejectForeignOptions(values: OptionValues, command: TenantCommand): void {
  for (const name of Object.keys(values)) {
    if (!(name in GLOBAL_OPTIONS) && !(name in command.options)) {
      throw new UsageError(`--${name} is not an option of "tenant ${command.name}"`, command.name);
    }
  }
}

export function parseCommandLine(argv: readonly string[]): Invocation {
  // A lenient first pass finds the command, so a bad option is reported with that command's usage.
  const loose = parseArgs({ args: [...argv], options: ALL_OPTIONS, allowPositionals: true, strict: false });
  const guessed = tenantCommandOf(loose.positionals);
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: ALL_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(parseErrorMessage(error), guessed?.name);
  }
  const values = parsed.values as OptionValues;
  const [group, name, ...operands] = parsed.positionals;

  if (group === 'help') return helpInvocation(parsed.positionals.slice(1));
  if (group === undefined) {
    if (values.help === true) return { kind: 'help' };
    throw new UsageError('missing command');
  }
  if (group !== 'tenant') throw new UsageError(`unknown command "${group}"`);
  if (name === undefined) {
    if (values.help === true) return { kind: 'help' };
    throw new UsageError('missing tenant command');
  }
  const command = findTenantCommand(name);
  if (!command) throw new UsageError(`unknown tenant command "${name}"`);
  if (values.help === true) return { kind: 'help', command };
  rejectForeignOptions(values, command);

  if (!command.takesServerName) {
    if (operands.length > 0) throw new UsageError(`unexpected argument "${operands[0]}"`, command.name);
    return { kind: 'all', command, values };
  }
  const [serverName, extra] = operands;
  if (serverName === undefined || serverName === '') throw new UsageError('missing <server_name>', command.name);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`, command.name);
  return { kind: 'named', command, serverName, values };
}
