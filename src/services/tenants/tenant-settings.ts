// Validation of tenant settings given through the admin API (create and update share it).
import { parseRateLimitOverrides } from '../../config/rate-limits.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import { isServableServerName } from '../../protocol/server-name.ts';
import { KNOWN_ROOM_VERSIONS } from '../../protocol/room-versions.ts';
import { hostKey } from '../../tenancy/host.ts';
import type { TenantConfigColumn, TenantRow } from '../../db/schema-types.ts';

export const REGISTRATION_MODES = ['open', 'token', 'closed'] as const;
const MAX_CLIENT_HOSTNAMES = 20;
const MAX_WELL_KNOWN_CLIENT_BYTES = 16_384;

/** Settings that both create and update accept, in admin API spelling. */
export interface TenantSettingsInput {
  client_hostnames?: unknown;
  registration?: unknown;
  public_baseurl?: unknown;
  well_known_server?: unknown;
  well_known_client?: unknown;
  default_room_version?: unknown;
  rate_limits?: unknown;
}

export const SETTINGS_FIELDS = [
  'client_hostnames',
  'registration',
  'public_baseurl',
  'well_known_server',
  'well_known_client',
  'default_room_version',
  'rate_limits',
] as const;

function invalid(message: string): MatrixError {
  return new MatrixError('M_INVALID_PARAM', message);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

export function rejectUnknownFields(body: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) {
    throw new MatrixError('M_BAD_JSON', `Unknown field${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  }
}

export function requireObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MatrixError('M_BAD_JSON', 'The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

export function parseServerNameParam(value: unknown): string {
  if (typeof value !== 'string' || !isServableServerName(value)) {
    throw invalid(`server_name must be a valid server name (hostname, IPv4, [IPv6], optional port 1-65535), got ${JSON.stringify(value)}`);
  }
  return hostKey(value) as string;
}

export function parseClientHostnames(value: unknown, serverName: string): string[] {
  if (!Array.isArray(value)) throw invalid('client_hostnames must be an array of hostnames');
  if (value.length > MAX_CLIENT_HOSTNAMES) throw invalid(`client_hostnames may list at most ${MAX_CLIENT_HOSTNAMES} hostnames`);
  const keys = new Set<string>();
  for (const item of value) {
    if (typeof item !== 'string' || !isServableServerName(item)) {
      throw invalid(`client_hostnames contains an invalid hostname: ${JSON.stringify(item)}`);
    }
    const key = hostKey(item) as string;
    if (key !== serverName) keys.add(key);
  }
  return [...keys];
}

export function parseRegistration(value: unknown): TenantRow['registration'] {
  if (typeof value !== 'string' || !(REGISTRATION_MODES as readonly string[]).includes(value)) {
    throw invalid(`registration must be one of ${REGISTRATION_MODES.join(', ')}`);
  }
  return value as TenantRow['registration'];
}

/** Applies settings to a stored config; `null` resets a setting to its default. */
export function applyConfigSettings(config: TenantConfigColumn, input: TenantSettingsInput): TenantConfigColumn {
  const next: TenantConfigColumn = { ...config };
  if (input.public_baseurl !== undefined) {
    if (input.public_baseurl === null) delete next.public_baseurl;
    else {
      let url: URL | undefined;
      try {
        url = typeof input.public_baseurl === 'string' ? new URL(input.public_baseurl) : undefined;
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username) {
        throw invalid('public_baseurl must be an http(s) URL without query, fragment or credentials');
      }
      next.public_baseurl = (input.public_baseurl as string).replace(/\/+$/, '');
    }
  }
  if (input.well_known_server !== undefined) {
    if (input.well_known_server === null) delete next.well_known_server;
    else if (typeof input.well_known_server !== 'string' || !isServableServerName(input.well_known_server)) {
      throw invalid('well_known_server must be a server name such as matrix.example.org:443');
    } else next.well_known_server = input.well_known_server;
  }
  if (input.well_known_client !== undefined) {
    if (input.well_known_client === null) delete next.well_known_client;
    else {
      const value = input.well_known_client;
      if (typeof value !== 'object' || Array.isArray(value)) throw invalid('well_known_client must be a JSON object');
      if (Object.hasOwn(value, 'm.homeserver')) {
        throw invalid('well_known_client must not set m.homeserver; set public_baseurl instead');
      }
      if (Object.hasOwn(value, 'm.identity_server')) {
        const identity = (value as Record<string, unknown>)['m.identity_server'];
        const baseUrl = typeof identity === 'object' && identity !== null ? (identity as { base_url?: unknown }).base_url : undefined;
        if (typeof baseUrl !== 'string' || !isHttpUrl(baseUrl)) {
          throw invalid('well_known_client.m.identity_server must be an object with an http(s) base_url');
        }
      }
      if (Buffer.byteLength(JSON.stringify(value)) > MAX_WELL_KNOWN_CLIENT_BYTES) {
        throw invalid(`well_known_client must be at most ${MAX_WELL_KNOWN_CLIENT_BYTES} bytes`);
      }
      next.well_known_client = value as Record<string, unknown>;
    }
  }
  if (input.rate_limits !== undefined) {
    if (input.rate_limits === null) delete next.rate_limits;
    else {
      try {
        next.rate_limits = parseRateLimitOverrides(input.rate_limits);
      } catch (error) {
        throw invalid(`rate_limits: ${(error as Error).message}`);
      }
    }
  }
  if (input.default_room_version !== undefined) {
    if (input.default_room_version === null) delete next.default_room_version;
    else if (typeof input.default_room_version !== 'string' || !KNOWN_ROOM_VERSIONS.includes(input.default_room_version)) {
      throw invalid(`default_room_version must be one of ${KNOWN_ROOM_VERSIONS.join(', ')}`);
    } else next.default_room_version = input.default_room_version;
  }
  return next;
}
