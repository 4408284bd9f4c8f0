// Keys of users on other servers. /keys/query and /keys/claim group remote users by server
// and ask one resolver per server; federation will answer there (the server's
// /_matrix/federation/v1/user/keys/query and .../claim). Until it exists every remote server
// is reported in the response's `failures`, as an unreachable server is.
import type { TenantContext } from '../../tenancy/context.ts';

/** A server's entry in `failures` (the spec leaves its content open; Synapse sends these fields). */
export interface RemoteFailure {
  status: number;
  message: string;
}

export interface RemoteQueryResult {
  deviceKeys: Record<string, Record<string, unknown>>;
  masterKeys: Record<string, unknown>;
  selfSigningKeys: Record<string, unknown>;
}

export type RemoteAnswer<T> = { ok: true; value: T } | { ok: false; failure: RemoteFailure };

const NO_FEDERATION: RemoteFailure = { status: 503, message: 'This server does not federate yet' };

/** Device and cross-signing keys of users of `serverName` (user ID → device IDs, [] = all). */
export async function queryRemoteKeys(
  _tenant: TenantContext,
  _serverName: string,
  _users: ReadonlyMap<string, readonly string[]>,
  _timeoutMs: number,
): Promise<RemoteAnswer<RemoteQueryResult>> {
  return { ok: false, failure: NO_FEDERATION };
}

/** One-time keys claimed from `serverName`: user ID → device ID → algorithm. */
export async function claimRemoteKeys(
  _tenant: TenantContext,
  _serverName: string,
  _wanted: ReadonlyMap<string, ReadonlyMap<string, string>>,
  _timeoutMs: number,
): Promise<RemoteAnswer<Record<string, Record<string, Record<string, unknown>>>>> {
  return { ok: false, failure: NO_FEDERATION };
}
