// Helpers of the matrix-js-sdk end-to-end test: SDK clients that reach a tenant by name over
// real HTTP (undici fetch through the loopback agent), a silent SDK logger, a record of every
// error response the SDK got, and waits on SDK events with a timeout.
import type { EventEmitter } from 'node:events';
import { fetch as undiciFetch } from 'undici';
import { ClientEvent, createClient, MatrixError, SyncState, type ICreateClientOpts, type MatrixClient } from 'matrix-js-sdk';
import type { Logger } from 'matrix-js-sdk/lib/logger.js';
import { logger as globalLogger } from 'matrix-js-sdk/lib/logger.js';
import { loopbackAgent } from '../helpers/http.ts';
import { expectSpecConformance, expectSpecSchema } from '../helpers/openapi.ts';
import type { TestShard } from '../helpers/shard.ts';

export const PASSWORD = 'correct horse battery staple';

// The global logger is loglevel underneath (its typing omits that). Its child loggers (e.g.
// MatrixRTC's) set their own level but copy its methodFactory, so that is made a no-op too.
const loglevelLogger = globalLogger as unknown as { methodFactory: () => () => void; setLevel(level: string): void };
loglevelLogger.methodFactory = () => () => undefined;
loglevelLogger.setLevel('silent');

const noop = (): void => undefined;
export const silentLogger: Logger = {
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  getChild: () => silentLogger,
};

/** One HTTP exchange the SDK made that did not succeed. */
export interface FailedRequest {
  who: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

export const failedRequests: FailedRequest[] = [];

/** One response the SDK got that does not conform to the spec's OpenAPI. */
export interface SpecViolation {
  who: string;
  method: string;
  path: string;
  status: number;
  message: string;
}

const violations: SpecViolation[] = [];
const pendingChecks = new Set<Promise<void>>();

/** Stable client-server endpoints (unstable MSC endpoints have no OpenAPI to check against). */
const SPEC_PATH = /^\/_matrix\/client\/(v3|v1|versions$)/;

/**
 * Checks every response of a stable client-server endpoint against the spec in the
 * background (not to slow the SDK down); `specViolations()` waits for the checks and lists
 * the responses that failed.
 */
function checkAgainstSpec(who: string, method: string, path: string, res: Response): void {
  if (!SPEC_PATH.test(path)) return;
  const check = (async () => {
    const text = await res.clone().text();
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    try {
      await expectSpecConformance(method, path, res.status, body);
    } catch (err) {
      // Some UIA endpoints (e.g. /keys/device_signing/upload) say so in prose but list no 401
      // response: their UIA answer is checked against the spec's UIA response schema.
      const uia = res.status === 401 && typeof body === 'object' && body !== null && 'flows' in body;
      if (uia && (await expectSpecSchema('client-server', 'definitions/auth_response.yaml', body).then(() => true, () => false))) return;
      violations.push({ who, method, path, status: res.status, message: (err as Error).message.slice(0, 2000) });
    }
  })();
  pendingChecks.add(check);
  void check.finally(() => pendingChecks.delete(check));
}

export async function specViolations(): Promise<SpecViolation[]> {
  await Promise.all([...pendingChecks]);
  return violations;
}

function fetchFor(who: string): typeof globalThis.fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const res = await undiciFetch(url, { ...(init as object), dispatcher: loopbackAgent } as Parameters<typeof undiciFetch>[1]);
    const parsed = new URL(url);
    if (res.status >= 400) {
      const body = await res.clone().text();
      failedRequests.push({ who, method: init?.method ?? 'GET', path: parsed.pathname, status: res.status, body });
    }
    checkAgainstSpec(who, init?.method ?? 'GET', parsed.pathname, res as unknown as Response);
    return res;
  }) as unknown as typeof globalThis.fetch;
}

export function baseUrlOf(shard: TestShard, serverName: string): string {
  return `http://${serverName}:${new URL(shard.url).port}`;
}

export interface Credentials {
  userId: string;
  deviceId: string;
  accessToken: string;
}

/** `extra` adds client options (e.g. the crypto callbacks of the E2EE tests). */
export function sdkClient(shard: TestShard, serverName: string, who: string, credentials?: Credentials, extra: Partial<ICreateClientOpts> = {}): MatrixClient {
  return createClient({
    baseUrl: baseUrlOf(shard, serverName),
    fetchFn: fetchFor(who),
    logger: silentLogger,
    timelineSupport: true,
    ...(credentials ?? {}),
    ...extra,
  });
}

/** Registers through the SDK: the first call answers 401 with a session, the second completes m.login.dummy. */
export async function sdkRegister(shard: TestShard, serverName: string, username: string): Promise<Credentials> {
  const client = sdkClient(shard, serverName, `register ${username}`);
  let session: string | undefined;
  try {
    await client.registerRequest({ username, password: PASSWORD });
    throw new Error('registration without auth unexpectedly succeeded');
  } catch (err) {
    if (!(err instanceof MatrixError) || err.httpStatus !== 401) throw err;
    session = (err.data as { session?: string }).session;
  }
  const res = await client.registerRequest({ username, password: PASSWORD, auth: { type: 'm.login.dummy', session } });
  if (res.access_token === undefined || res.device_id === undefined) throw new Error('registration returned no token');
  return { userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token };
}

export async function sdkLogin(shard: TestShard, serverName: string, user: string): Promise<Credentials> {
  const client = sdkClient(shard, serverName, `login ${user}`);
  const res = await client.loginRequest({ type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: PASSWORD });
  return { userId: res.user_id, deviceId: res.device_id, accessToken: res.access_token };
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Resolves once `check` holds, re-checking whenever the client emits one of `events` (the
 * client re-emits room, member and timeline events). Checks first, so a condition already
 * true resolves at once; rejects after a timeout naming `what`.
 */
export function until(client: MatrixClient, events: string[], check: () => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
  const emitter = client as unknown as EventEmitter;
  return new Promise((resolve, reject) => {
    const onEvent = (): void => {
      let ok: boolean;
      try {
        ok = check();
      } catch (err) {
        finish();
        reject(err as Error);
        return;
      }
      if (ok) {
        finish();
        resolve();
      }
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      for (const e of events) emitter.off(e, onEvent);
    };
    for (const e of events) emitter.on(e, onEvent);
    onEvent();
  });
}

/**
 * Resolves with the arguments of the first `event` the client emits for which `match` holds.
 * Create it before the action that causes the event.
 */
export function nextEvent<A extends unknown[]>(client: MatrixClient, event: string, match: (...args: A) => boolean, what: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<A> {
  const emitter = client as unknown as EventEmitter;
  const promise = new Promise<A>((resolve, reject) => {
    const onEvent = (...args: unknown[]): void => {
      if (!match(...(args as A))) return;
      clearTimeout(timer);
      emitter.off(event, onEvent);
      resolve(args as A);
    };
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    emitter.on(event, onEvent);
  });
  // A wait abandoned because the action before it failed must not surface as unhandled.
  promise.catch(() => undefined);
  return promise;
}

/** Starts syncing and resolves once the first sync is PREPARED. */
export async function startSyncing(client: MatrixClient, initialSyncLimit = 10): Promise<void> {
  const prepared = nextEvent<[SyncState, SyncState | null]>(client, ClientEvent.Sync, (state) => state === SyncState.Prepared || state === SyncState.Error, 'sync PREPARED');
  await client.startClient({ initialSyncLimit });
  const [state] = await prepared;
  if (state !== SyncState.Prepared) throw new Error(`sync went to ${state}: ${JSON.stringify(failedRequests.slice(-3))}`);
}
