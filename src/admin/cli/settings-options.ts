// The tenant settings flags shared by create and update, and the request body they make.
import type { OptionSpec, OptionValues } from './commands/command.ts';
import { UsageError } from './errors.ts';
import { stringListOption, stringOption } from './option-values.ts';

export const SETTINGS_OPTIONS: Record<string, OptionSpec> = {
  'client-hostname': {
    type: 'string',
    multiple: true,
    valueName: 'host',
    description: 'Another hostname clients reach the tenant at (repeat for several; update replaces the list)',
  },
  registration: { type: 'string', valueName: 'open|token|closed', description: 'Who may register accounts (create default: closed)' },
  'public-baseurl': { type: 'string', valueName: 'url', description: 'Client-facing base URL, advertised as m.homeserver' },
  'well-known-server': { type: 'string', valueName: 'host:port', description: 'Federation delegation served at /.well-known/matrix/server' },
  'well-known-client': { type: 'string', valueName: 'json', description: 'Extra /.well-known/matrix/client content, a JSON object' },
  'default-room-version': { type: 'string', valueName: 'version', description: 'Room version for new rooms' },
  'rate-limits': {
    type: 'string',
    valueName: 'json',
    description: 'Rate limits of this tenant over the shard\'s, a JSON object of classes, e.g. \'{"client":{"burst":300,"perSecond":30}}\'',
  },
};

/** Settings `update --reset` can return to their defaults (registration always has a value). */
const RESETTABLE: Record<string, { field: string; resetValue: unknown; flag: string }> = {
  'client-hostnames': { field: 'client_hostnames', resetValue: [], flag: 'client-hostname' },
  'public-baseurl': { field: 'public_baseurl', resetValue: null, flag: 'public-baseurl' },
  'well-known-server': { field: 'well_known_server', resetValue: null, flag: 'well-known-server' },
  'well-known-client': { field: 'well_known_client', resetValue: null, flag: 'well-known-client' },
  'default-room-version': { field: 'default_room_version', resetValue: null, flag: 'default-room-version' },
  'rate-limits': { field: 'rate_limits', resetValue: null, flag: 'rate-limits' },
};

export const RESET_OPTION: OptionSpec = {
  type: 'string',
  multiple: true,
  valueName: 'setting',
  description: `Return a setting to its default (repeatable): ${Object.keys(RESETTABLE).join(', ')}`,
};

/** A flag whose value is JSON (the API validates what it holds). */
const JSON_FLAGS: Array<[flag: string, field: string, example: string]> = [
  ['well-known-client', 'well_known_client', '{"m.identity_server":{"base_url":"https://id.example.org"}}'],
  ['rate-limits', 'rate_limits', '{"client":{"burst":300,"perSecond":30}}'],
];

function parseJsonFlag(flag: string, example: string, text: string, command: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--${flag} must be JSON, e.g. '${example}'`, command);
  }
}

/** The settings given as flags, in admin API spelling; the API validates their values. */
export function settingsBody(values: OptionValues, command: string): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const hostnames = stringListOption(values, 'client-hostname');
  if (hostnames.length > 0) body.client_hostnames = hostnames;
  const single: Array<[flag: string, field: string]> = [
    ['registration', 'registration'],
    ['public-baseurl', 'public_baseurl'],
    ['well-known-server', 'well_known_server'],
    ['default-room-version', 'default_room_version'],
  ];
  for (const [flag, field] of single) {
    const value = stringOption(values, flag);
    if (value !== undefined) body[field] = value;
  }
  for (const [flag, field, example] of JSON_FLAGS) {
    const text = stringOption(values, flag);
    if (text !== undefined) body[field] = parseJsonFlag(flag, example, text, command);
  }

  for (const name of stringListOption(values, 'reset')) {
    const reset = RESETTABLE[name];
    if (!reset) throw new UsageError(`--reset takes one of ${Object.keys(RESETTABLE).join(', ')}, got "${name}"`, command);
    if (body[reset.field] !== undefined) throw new UsageError(`--reset ${name} conflicts with --${reset.flag}`, command);
    body[reset.field] = reset.resetValue;
  }
  return body;
}
