// Shared by the send-to-device tests: sending, syncing for to-device messages, inspecting
// inboxes, deleting a device. Every response is checked against the spec (rooms helpers).
import { expect } from 'vitest';
import type { HttpResult } from '../../helpers/http.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { call, CS, enc, sync, txn, type Client } from '../rooms/helpers.ts';
import { currentContext } from '../user-data/helpers.ts';

export interface ToDeviceEvent {
  sender: string;
  type: string;
  content: Record<string, unknown>;
}

export type Messages = Record<string, Record<string, Record<string, unknown>>>;

export function sendToDevicePath(type: string, txnId: string): string {
  return `${CS}/sendToDevice/${enc(type)}/${enc(txnId)}`;
}

/** PUT /sendToDevice; expects 200 {}. */
export async function sendToDevice(client: Client, type: string, messages: Messages, txnId = txn()): Promise<void> {
  const res = await client.call('PUT', sendToDevicePath(type, txnId), { messages });
  expect(res.status, res.text).toBe(200);
  expect(res.body).toEqual({});
}

export interface ToDeviceSync {
  next_batch: string;
  events: ToDeviceEvent[];
}

/** A sync of the client's device (timeout 0 unless given): its to-device events and next_batch. */
export async function syncToDevice(client: Client, since?: string, query: Record<string, string | number | boolean> = {}): Promise<ToDeviceSync> {
  const body = (await sync(client, { timeout: 0, ...(since !== undefined ? { since } : {}), ...query })) as unknown as { next_batch: string; to_device?: { events: ToDeviceEvent[] } };
  if (body.to_device !== undefined) expect(body.to_device.events.length, 'to_device is left out when empty').toBeGreaterThan(0);
  return { next_batch: body.next_batch, events: body.to_device?.events ?? [] };
}

/** The to_device position of a sync token. */
export function toDevicePosition(token: string): number {
  const part = token.split('_').find((p) => p.startsWith('d'));
  expect(part, token).toBeDefined();
  return Number((part as string).slice(1));
}

/** How many messages wait in a device's inbox (read from the tenant's schema). */
export async function inboxSize(shard: TestShard, serverName: string, userId: string, deviceId: string): Promise<number> {
  const tenant = await currentContext(shard, serverName);
  const row = await tenant.db
    .selectFrom('to_device_inbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('user_id', '=', userId)
    .where('device_id', '=', deviceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** DELETE /devices/{deviceId} through the password stage of user-interactive auth. */
export async function deleteDevice(shard: TestShard, serverName: string, owner: Client, deviceId: string): Promise<HttpResult> {
  const path = `${CS}/devices/${enc(deviceId)}`;
  const first = await call(shard, serverName, 'DELETE', path, { token: owner.token, body: {} });
  expect(first.status, first.text).toBe(401);
  const session = (first.body as { session: string }).session;
  const auth = { type: 'm.login.password', session, identifier: { type: 'm.id.user', user: owner.userId }, password: 'correct horse battery staple' };
  return call(shard, serverName, 'DELETE', path, { token: owner.token, body: { auth } });
}

/** Waits until a sync of the tenant is long-polling (the notifier has a waiter). */
export async function untilSyncWaits(shard: TestShard, serverName: string): Promise<void> {
  const waiting = async (): Promise<number> => (await currentContext(shard, serverName)).notifier.waiting;
  for (let i = 0; i < 1_000 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(await waiting(), 'a sync waits').toBeGreaterThan(0);
}
