// Options every command accepts, before or after the command words.
import type { OptionSpec } from './commands/command.ts';
import { DEFAULT_ADMIN_URL } from './connection.ts';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: "Print the API's JSON answer instead of text" },
  'admin-url': { type: 'string', valueName: 'url', description: `Admin API URL (env ADMIN_URL; default ${DEFAULT_ADMIN_URL})` },
  token: { type: 'string', valueName: 'token', description: 'Admin token (env ADMIN_TOKEN; else the file $DATA_DIR/admin-token)' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
};
