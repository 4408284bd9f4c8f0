// Helpers of the room and sync tests: a shard with cheap password hashing and no rate limits,
// users registered over HTTP (m.login.dummy on an open tenant), and calls whose every
// response is checked against the spec: with the operation's response schema when the spec
// defines the status, else (an error status the operation does not list) against the
// standard error body.
import { expect } from 'vitest';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import { callTenant, type HttpResult } from '../../helpers/http.ts';
import { expectSpecConformance } from '../../helpers/openapi.ts';
import { NO_RATE_LIMITS } from '../../helpers/limits.ts';
import { startTestShard, type TestShard } from '../../helpers/shard.ts';

export const CS = '/_matrix/client/v3';

export function startRoomsShard(): Promise<TestShard> {
  return startTestShard({ accountSettings: { passwordHash: { logN: 10, r: 8, p: 1 } }, rateLimits: NO_RATE_LIMITS });
}

export async function createOpenTenant(shard: TestShard, serverName: string): Promise<TenantContext> {
  await shard.createTenant({ server_name: serverName, registration: 'open' });
  return (await shard.tenants.acquire(serverName)).context;
}

/** Checks a response against the spec (see the header). */
export function expectConforms(method: string, path: string, res: HttpResult): Promise<void> {
  return expectSpecConformance(method, path, res.status, res.body);
}

export interface Client {
  userId: string;
  deviceId: string;
  token: string;
  /** A spec-checked call with this user's token. */
  call(method: string, path: string, body?: unknown): Promise<HttpResult>;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  rawBody?: string;
}

/** A spec-checked call to a tenant. */
export async function call(shard: TestShard, serverName: string, method: string, path: string, options: CallOptions = {}): Promise<HttpResult> {
  const res = await callTenant(shard.url, serverName, path, { method, ...options });
  await expectConforms(method, path, res);
  return res;
}

function clientOf(shard: TestShard, serverName: string, login: { user_id: string; device_id: string; access_token: string }): Client {
  return {
    userId: login.user_id,
    deviceId: login.device_id,
    token: login.access_token,
    call: (method, path, body) => call(shard, serverName, method, path, { token: login.access_token, ...(body !== undefined ? { body } : {}) }),
  };
}

export async function register(shard: TestShard, serverName: string, username: string): Promise<Client> {
  const body = { username, password: 'correct horse battery staple' };
  const first = await call(shard, serverName, 'POST', `${CS}/register`, { body });
  expect(first.status, first.text).toBe(401);
  const session = (first.body as { session: string }).session;
  const res = await call(shard, serverName, 'POST', `${CS}/register`, { body: { ...body, auth: { type: 'm.login.dummy', session } } });
  expect(res.status, res.text).toBe(200);
  return clientOf(shard, serverName, res.body as { user_id: string; device_id: string; access_token: string });
}

/** A second device (login) of an existing user. */
export async function login(shard: TestShard, serverName: string, userId: string): Promise<Client> {
  const res = await call(shard, serverName, 'POST', `${CS}/login`, {
    body: { type: 'm.login.password', identifier: { type: 'm.id.user', user: userId }, password: 'correct horse battery staple' },
  });
  expect(res.status, res.text).toBe(200);
  return clientOf(shard, serverName, res.body as { user_id: string; device_id: string; access_token: string });
}

export function enc(value: string): string {
  return encodeURIComponent(value);
}

export function roomPath(roomId: string, rest = ''): string {
  return `${CS}/rooms/${enc(roomId)}${rest}`;
}

let txnCounter = 0;
export function txn(): string {
  return `t${Date.now()}-${txnCounter++}`;
}

/** Creates a room, expects 200, returns its ID. */
export async function createRoom(client: Client, body: Record<string, unknown> = {}): Promise<string> {
  const res = await client.call('POST', `${CS}/createRoom`, body);
  expect(res.status, res.text).toBe(200);
  return (res.body as { room_id: string }).room_id;
}

/** Sends an m.room.message, expects 200, returns the event ID. */
export async function sendText(client: Client, roomId: string, body: string): Promise<string> {
  const res = await client.call('PUT', roomPath(roomId, `/send/m.room.message/${txn()}`), { msgtype: 'm.text', body });
  expect(res.status, res.text).toBe(200);
  return (res.body as { event_id: string }).event_id;
}

export async function joinRoom(client: Client, roomId: string): Promise<void> {
  const res = await client.call('POST', roomPath(roomId, '/join'), {});
  expect(res.status, res.text).toBe(200);
}

export async function invite(client: Client, roomId: string, userId: string): Promise<void> {
  const res = await client.call('POST', roomPath(roomId, '/invite'), { user_id: userId });
  expect(res.status, res.text).toBe(200);
}

export interface SyncBody {
  next_batch: string;
  rooms?: {
    join?: Record<string, JoinedRoomBody>;
    invite?: Record<string, { invite_state: { events: Array<Record<string, unknown>> } }>;
    leave?: Record<string, { state: { events: EventBody[] }; timeline: TimelineBody }>;
    knock?: Record<string, unknown>;
  };
}
export interface EventBody {
  event_id: string;
  type: string;
  sender: string;
  state_key?: string;
  content: Record<string, unknown>;
  unsigned?: Record<string, unknown>;
}
export interface TimelineBody {
  events: EventBody[];
  limited?: boolean;
  prev_batch?: string;
}
export interface JoinedRoomBody {
  summary: Record<string, unknown>;
  state: { events: EventBody[] };
  timeline: TimelineBody;
  unread_notifications: Record<string, number>;
}

export async function sync(client: Client, query: Record<string, string | number | boolean> = {}): Promise<SyncBody> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const res = await client.call('GET', `${CS}/sync${search ? `?${search}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.body as SyncBody;
}
