// The shape every `tessera tenant <command>` implements; main parses, validates and dispatches.
import type { CliIo } from '../io.ts';
import type { TenantApi } from '../tenant-api.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  /** Placeholder for the value in help text, e.g. "url". */
  valueName?: string;
  description: string;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CommandContext {
  io: CliIo;
  /** --json: print the API's JSON answer instead of text. */
  json: boolean;
  /** The API client. The connection is resolved on first call, so usage errors are reported first. */
  api(): TenantApi;
}

interface CommandBase {
  name: string;
  summary: string;
  /** Extra lines for `tessera help tenant <name>`. */
  details?: string;
  options: Record<string, OptionSpec>;
}

/** A command about one tenant: `tessera tenant <name> <server_name> [options]`. */
export interface NamedTenantCommand extends CommandBase {
  takesServerName: true;
  run(ctx: CommandContext, serverName: string, values: OptionValues): Promise<number>;
}

/** A command about all tenants: `tessera tenant <name> [options]`. */
export interface AllTenantsCommand extends CommandBase {
  takesServerName: false;
  run(ctx: CommandContext, values: OptionValues): Promise<number>;
}

export type TenantCommand = NamedTenantCommand | AllTenantsCommand;
