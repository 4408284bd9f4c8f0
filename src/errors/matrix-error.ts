// The one table of Matrix error codes the server answers with, and the error type that
// carries them. Every HTTP error body is `{ errcode, error, ...extra }`.

/** Default HTTP status for each errcode we emit. Codes outside the spec's `M_` namespace
 * are Tessera's own (admin API) and namespaced accordingly. */
export const ERRCODE_STATUS = {
  M_FORBIDDEN: 403,
  M_UNKNOWN_TOKEN: 401,
  M_MISSING_TOKEN: 401,
  M_BAD_JSON: 400,
  M_NOT_JSON: 400,
  M_NOT_FOUND: 404,
  M_LIMIT_EXCEEDED: 429,
  M_UNRECOGNIZED: 404,
  M_UNKNOWN: 500,
  M_UNAUTHORIZED: 401,
  M_USER_DEACTIVATED: 403,
  M_USER_IN_USE: 400,
  M_INVALID_USERNAME: 400,
  M_ROOM_IN_USE: 400,
  M_INVALID_ROOM_STATE: 400,
  M_THREEPID_IN_USE: 400,
  M_SERVER_NOT_TRUSTED: 401,
  M_UNSUPPORTED_ROOM_VERSION: 400,
  M_INCOMPATIBLE_ROOM_VERSION: 400,
  M_BAD_STATE: 400,
  M_GUEST_ACCESS_FORBIDDEN: 403,
  M_MISSING_PARAM: 400,
  M_INVALID_PARAM: 400,
  M_TOO_LARGE: 413,
  M_EXCLUSIVE: 400,
  M_RESOURCE_LIMIT_EXCEEDED: 403,
  M_CANNOT_LEAVE_SERVER_NOTICE_ROOM: 403,
  M_WEAK_PASSWORD: 400,
  M_INVALID_SIGNATURE: 400,
  M_WRONG_ROOM_KEYS_VERSION: 403,
  M_UNABLE_TO_AUTHORISE_JOIN: 400,
  M_UNABLE_TO_GRANT_JOIN: 502,
  M_BAD_ALIAS: 400,
  /** Tessera: a tenant with this server name already exists. */
  TESSERA_TENANT_EXISTS: 409,
  /** Tessera: a hostname is already claimed by another tenant. */
  TESSERA_HOSTNAME_IN_USE: 409,
  /** Tessera: a registration token with this value already exists. */
  TESSERA_REGISTRATION_TOKEN_EXISTS: 409,
} as const satisfies Record<string, number>;

export type Errcode = keyof typeof ERRCODE_STATUS;

export class MatrixError extends Error {
  override name = 'MatrixError';
  readonly errcode: Errcode;
  readonly status: number;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    errcode: Errcode,
    message: string,
    options: { status?: number; extra?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.errcode = errcode;
    this.status = options.status ?? ERRCODE_STATUS[errcode];
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }

  body(): Record<string, unknown> {
    return { errcode: this.errcode, error: this.message, ...this.extra };
  }
}

/** The database cannot be reached: a transient condition, the client should retry. */
export function databaseUnavailable(cause?: unknown): MatrixError {
  return new MatrixError('M_UNKNOWN', 'The server cannot reach its database; try again shortly', {
    status: 503,
    headers: { 'retry-after': '5' },
    cause,
  });
}
