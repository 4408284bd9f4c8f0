// Device-list tracking: /sync's device_lists (changed when a user sharing a room uploads or
// changes keys or deletes a device, or starts sharing a room; left when no room is shared
// any more), GET /keys/changes between two sync tokens, a long-poll woken by a change, and
// the key counts present in every sync without counting as news.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { buildSync } from '../../../src/services/sync/build-sync.ts';
import { parseSyncToken, type SyncToken } from '../../../src/services/sync/sync-token.ts';
import { currentContext } from '../user-data/helpers.ts';
import { createOpenTenant, createRoom, joinRoom, login, register, roomPath, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';
import { CS, deviceKeys, deviceOf, oneTimeKeys, upload } from './keys-helpers.ts';

const HS = 'keys-lists.example';
let shard: TestShard;
let counter = 0;

interface SyncKeys {
  next_batch: string;
  device_lists?: { changed?: string[]; left?: string[] };
  device_one_time_keys_count?: Record<string, number>;
  device_unused_fallback_key_types?: string[];
}

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

async function newUser(): Promise<Client> {
  return register(shard, HS, `lister${counter++}`);
}

async function syncKeys(client: Client, since?: string, timeout = 0): Promise<SyncKeys> {
  return (await sync(client, since === undefined ? {} : { since, timeout })) as unknown as SyncKeys;
}

async function changes(client: Client, from: string, to: string): Promise<{ changed: string[]; left: string[] }> {
  const res = await client.call('GET', `${CS}/keys/changes?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { changed: string[]; left: string[] };
}

async function uploadKeys(client: Client): Promise<void> {
  const device = deviceOf(client);
  await upload(device, { device_keys: deviceKeys(device) });
}

/** Two users sharing a fresh room. */
async function pair(): Promise<{ alice: Client; bob: Client; roomId: string }> {
  const alice = await newUser();
  const bob = await newUser();
  const roomId = await createRoom(alice, { preset: 'public_chat' });
  await joinRoom(bob, roomId);
  return { alice, bob, roomId };
}

describe('/sync device_lists', () => {
  test('initial syncs carry key counts and no device_lists', async () => {
    const alice = await newUser();
    const initial = await syncKeys(alice);
    expect(initial.device_lists).toBeUndefined();
    expect(initial.device_one_time_keys_count).toEqual({ signed_curve25519: 0 });
    expect(initial.device_unused_fallback_key_types).toEqual([]);
  });

  test('a user sharing a room uploads keys: changed; an unrelated user: not', async () => {
    const { alice, bob } = await pair();
    const stranger = await newUser();
    const since = (await syncKeys(bob)).next_batch;
    await uploadKeys(alice);
    await uploadKeys(stranger);
    const next = await syncKeys(bob, since);
    expect(next.device_lists?.changed).toEqual([alice.userId]);
    expect(await changes(bob, since, next.next_batch)).toEqual({ changed: [alice.userId], left: [] });
    // Identical keys again: no change.
    const quiet = await syncKeys(bob, next.next_batch);
    expect(quiet.device_lists).toBeUndefined();
    expect(quiet.device_one_time_keys_count).toEqual({ signed_curve25519: 0 });
  });

  test('own devices: a new device’s keys and a deleted device show the own user', async () => {
    const alice = await newUser();
    const since = (await syncKeys(alice)).next_batch;
    const second = await login(shard, HS, alice.userId);
    await uploadKeys(second);
    const afterUpload = await syncKeys(alice, since);
    expect(afterUpload.device_lists?.changed).toEqual([alice.userId]);
    expect((await second.call('POST', `${CS}/logout`, {})).status).toBe(200);
    const afterLogout = await syncKeys(alice, afterUpload.next_batch);
    expect(afterLogout.device_lists?.changed).toEqual([alice.userId]);
  });

  test('starting to share a room: changed; leaving the last shared room: left', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const roomId = await createRoom(alice, { preset: 'public_chat' });
    const since = (await syncKeys(bob)).next_batch;
    await joinRoom(bob, roomId);
    const joined = await syncKeys(bob, since);
    expect(joined.device_lists?.changed).toEqual([alice.userId]);
    const aliceSince = (await syncKeys(alice)).next_batch;
    expect((await bob.call('POST', roomPath(roomId, '/leave'), {})).status).toBe(200);
    const left = await syncKeys(bob, joined.next_batch);
    expect(left.device_lists).toEqual({ changed: [], left: [alice.userId] });
    const aliceView = await syncKeys(alice, aliceSince);
    expect(aliceView.device_lists).toEqual({ changed: [], left: [bob.userId] });
    expect(await changes(bob, joined.next_batch, left.next_batch)).toEqual({ changed: [], left: [alice.userId] });
    // After leaving, bob no longer hears of alice's keys.
    await uploadKeys(alice);
    expect((await syncKeys(bob, left.next_batch)).device_lists).toBeUndefined();
  });

  test('still sharing another room: leaving one is not "left"', async () => {
    const { alice, bob } = await pair();
    const second = await createRoom(alice, { preset: 'public_chat' });
    await joinRoom(bob, second);
    const since = (await syncKeys(bob)).next_batch;
    expect((await bob.call('POST', roomPath(second, '/leave'), {})).status).toBe(200);
    expect((await syncKeys(bob, since)).device_lists).toBeUndefined();
  });

  test('a long-poll is woken by a device-list change', async () => {
    const { alice, bob } = await pair();
    const since = (await syncKeys(bob)).next_batch;
    const polling = syncKeys(bob, since, 20_000);
    const context = await currentContext(shard, HS);
    for (let i = 0; i < 500 && context.notifier.waiting === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(context.notifier.waiting).toBeGreaterThan(0);
    await uploadKeys(alice);
    expect((await polling).device_lists?.changed).toEqual([alice.userId]);
  });

  test('one-time key counts alone are not news: an incremental sync reports them but is empty', async () => {
    const alice = await newUser();
    const since = (await syncKeys(alice)).next_batch;
    const device = deviceOf(alice);
    await upload(device, { device_keys: deviceKeys(device) });
    const first = await syncKeys(alice, since);
    await upload(device, { one_time_keys: oneTimeKeys(device, 4) });
    const res = await syncKeys(alice, first.next_batch);
    expect(res.device_one_time_keys_count).toEqual({ signed_curve25519: 4 });
    expect(res.device_lists).toBeUndefined();
    // The computation a long-poll waits on calls it empty (so it keeps waiting).
    const computed = await buildSync(await currentContext(shard, HS), alice, { since: parseSyncToken(first.next_batch) as SyncToken, fullState: false });
    expect(computed.empty).toBe(true);
    expect(computed.response.device_one_time_keys_count).toEqual({ signed_curve25519: 4 });
    // A device-list change is news.
    await uploadKeys(await login(shard, HS, alice.userId));
    const news = await buildSync(await currentContext(shard, HS), alice, { since: parseSyncToken(first.next_batch) as SyncToken, fullState: false });
    expect(news.empty).toBe(false);
  });
});

describe('/keys/changes', () => {
  test('malformed tokens are 400; a missing parameter is 400', async () => {
    const alice = await newUser();
    const token = (await syncKeys(alice)).next_batch;
    for (const path of [`${CS}/keys/changes?from=nope&to=${token}`, `${CS}/keys/changes?from=${token}`]) {
      const res = await alice.call('GET', path);
      expect(res.status).toBe(400);
    }
    expect(await changes(alice, token, token)).toEqual({ changed: [], left: [] });
  });
});
