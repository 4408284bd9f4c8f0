// HTTP to tenants by name: an undici Agent whose DNS lookup answers 127.0.0.1, so the URL's
// host (and thus the Host header) names the tenant while the connection goes to the shard.
import { Agent, request } from 'undici';

export const loopbackAgent = new Agent({
  connect: {
    lookup: (_hostname, options, callback) => {
      if ((options as { all?: boolean }).all) callback(null, [{ address: '127.0.0.1', family: 4 }] as never, 4);
      else callback(null, '127.0.0.1', 4);
    },
  },
});

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

export interface CallOptions {
  method?: string;
  /** A JSON value to send, or a raw string sent as is. */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string;
}

async function toResult(response: Awaited<ReturnType<typeof request>>): Promise<HttpResult> {
  const text = await response.body.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.statusCode, headers: response.headers, body, text };
}

function buildHeaders(options: CallOptions): Record<string, string> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  return headers;
}

/** Requests `path` from the tenant `serverName` (any host[:port]) on a shard listening at `shardUrl`. */
export async function callTenant(shardUrl: string, serverName: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
  const port = new URL(shardUrl).port;
  const url = `http://${serverName.includes(':') && !serverName.startsWith('[') ? serverName.split(':')[0] : serverName}:${port}${path}`;
  const headers = buildHeaders(options);
  // A name with its own port must reach the shard under that exact Host header.
  if (/:\d+$/.test(serverName)) headers.host = serverName;
  const response = await request(url, {
    method: (options.method ?? 'GET') as 'GET',
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    dispatcher: loopbackAgent,
  });
  return toResult(response);
}

/** Requests a URL directly (admin API, health), with an optional explicit Host header. */
export async function callUrl(url: string, options: CallOptions & { host?: string } = {}): Promise<HttpResult> {
  const headers = buildHeaders(options);
  if (options.host !== undefined) headers.host = options.host;
  const response = await request(url, {
    method: (options.method ?? 'GET') as 'GET',
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    dispatcher: loopbackAgent,
  });
  return toResult(response);
}
