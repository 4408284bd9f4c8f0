// One HTTP call to the admin API: bearer token, JSON in and out, Matrix errors as ApiError,
// transport failures as a message that names the URL.
import type { AdminConnection } from './connection.ts';
import { ApiError, CliFailure } from './errors.ts';

// Creating a tenant migrates a fresh schema, so allow time; but never hang forever.
const REQUEST_TIMEOUT_MS = 120_000;

function describeTransportError(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  // fetch reports "fetch failed"; the useful part (ECONNREFUSED, ENOTFOUND, ...) is the cause.
  const cause = error instanceof Error ? (error.cause as (Error & { code?: string }) | undefined) : undefined;
  return cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function apiErrorOf(response: Response, body: unknown): ApiError {
  const fields = (typeof body === 'object' && body !== null ? body : {}) as { errcode?: unknown; error?: unknown };
  if (typeof fields.errcode === 'string') {
    return new ApiError(fields.errcode, typeof fields.error === 'string' ? fields.error : response.statusText, response.status);
  }
  // Not a Matrix error body: a proxy or something else answered.
  return new ApiError('M_UNKNOWN', `HTTP ${response.status} ${response.statusText} from ${response.url}`, response.status);
}

export async function callAdminApi(connection: AdminConnection, method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { authorization: `Bearer ${connection.token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${connection.adminUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw new CliFailure(
      `cannot reach the admin API at ${connection.adminUrl}: ${describeTransportError(error)} ` +
        '(is Tessera running there? Point --admin-url or ADMIN_URL at its admin listener)',
    );
  }
  const parsed = text === '' ? undefined : parseJson(text);
  if (!response.ok) throw apiErrorOf(response, parsed);
  if (parsed === undefined) throw new CliFailure(`the admin API at ${connection.adminUrl} answered ${method} ${path} with a body that is not JSON`);
  return parsed;
}
