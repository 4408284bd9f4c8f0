// Everything a busy tenant's clients do, at once: messages, read receipts, read markers,
// typing, presence, account data, tags, key uploads and claims, to-device messages, syncs
// and profile changes, by several users in shared rooms, and by a newcomer each round who
// does several things at once right after registering. Every request must succeed: the
// writers take their row and stream-position locks in orders that cannot deadlock (the
// presence and device-key deadlocks found this way have their own tests too).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TestShard } from '../helpers/shard.ts';
import { CS, createOpenTenant, createRoom, enc, joinRoom, register, roomPath, startRoomsShard, txn, type Client } from './rooms/helpers.ts';
import { deviceKeys, deviceOf, oneTimeKeys, upload, type Device } from './e2ee/keys-helpers.ts';

const HS = 'soak.example';
const USERS = 6;
const ROUNDS = 12;
let shard: TestShard;
let users: Client[];
let devices: Device[];
let rooms: string[];

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
  users = [];
  for (let i = 0; i < USERS; i++) users.push(await register(shard, HS, `soaker${i}`));
  devices = users.map(deviceOf);
  for (const device of devices) await upload(device, { device_keys: deviceKeys(device), one_time_keys: oneTimeKeys(device, 20) });
  rooms = [await createRoom(users[0] as Client, { preset: 'public_chat' }), await createRoom(users[1] as Client, { preset: 'public_chat' })];
  for (const user of users) for (const room of rooms) await joinRoom(user, room).catch(() => undefined);
}, 60_000);
afterAll(async () => shard?.close());

/** One user's part of a round: what its client might do within a second. */
function roundOf(user: Client, index: number, round: number, lastEvents: Map<string, string>): Array<Promise<{ what: string; status: number }>> {
  const room = rooms[(index + round) % rooms.length] as string;
  const other = users[(index + 1) % USERS] as Client;
  const last = lastEvents.get(room);
  const device = devices[index] as Device;
  const call = (what: string, method: string, path: string, body?: unknown): Promise<{ what: string; status: number }> =>
    user.call(method, path, body).then((res) => ({ what, status: res.status }));
  return [
    call('send', 'PUT', roomPath(room, `/send/m.room.message/${txn()}`), { msgtype: 'm.text', body: `round ${round} from ${index}` }),
    ...(last
      ? [
          call('receipt', 'POST', roomPath(room, `/receipt/m.read/${enc(last)}`), {}),
          call('read markers', 'POST', roomPath(room, '/read_markers'), { 'm.fully_read': last, 'm.read.private': last }),
        ]
      : []),
    call('typing', 'PUT', roomPath(room, `/typing/${enc(user.userId)}`), { typing: round % 2 === 0, timeout: 5000 }),
    call('presence', 'PUT', `${CS}/presence/${enc(user.userId)}/status`, { presence: round % 3 === 0 ? 'unavailable' : 'online', status_msg: `r${round}` }),
    call('account data', 'PUT', `${CS}/user/${enc(user.userId)}/account_data/org.example.soak`, { round }),
    call('tag', 'PUT', `${CS}/user/${enc(user.userId)}/rooms/${enc(room)}/tags/u.work`, { order: round / ROUNDS }),
    call('one-time keys', 'POST', `${CS}/keys/upload`, { one_time_keys: oneTimeKeys(device, 2, `r${round}x`) }),
    call('claim', 'POST', `${CS}/keys/claim`, { one_time_keys: { [other.userId]: { [other.deviceId]: 'signed_curve25519' } } }),
    call('to-device', 'PUT', `${CS}/sendToDevice/m.room_key_request/${txn()}`, { messages: { [other.userId]: { [other.deviceId]: { round, from: index } } } }),
    call('sync', 'GET', `${CS}/sync?timeout=0`),
    ...(round % 4 === index % 4 ? [call('profile', 'PUT', `${CS}/profile/${enc(user.userId)}/displayname`, { displayname: `Soaker ${index}.${round}` })] : []),
  ];
}

/** A user registered just now (no presence, keys or account data yet) doing several
 * things at once, as a client does right after login. */
async function newcomer(round: number): Promise<Array<Promise<{ what: string; status: number }>>> {
  const user = await register(shard, HS, `newcomer${round}`);
  const device = deviceOf(user);
  const call = (what: string, method: string, path: string, body?: unknown): Promise<{ what: string; status: number }> =>
    user.call(method, path, body).then((res) => ({ what: `newcomer ${what}`, status: res.status }));
  return [
    call('presence', 'PUT', `${CS}/presence/${enc(user.userId)}/status`, { presence: 'online' }),
    call('presence again', 'PUT', `${CS}/presence/${enc(user.userId)}/status`, { presence: 'unavailable', status_msg: 'busy' }),
    call('sync', 'GET', `${CS}/sync?timeout=0&set_presence=online`),
    call('keys', 'POST', `${CS}/keys/upload`, { device_keys: deviceKeys(device), one_time_keys: oneTimeKeys(device, 5) }),
    call('account data', 'PUT', `${CS}/user/${enc(user.userId)}/account_data/m.push_rules_seen`, { round }),
    call('join', 'POST', `${CS}/join/${enc(rooms[round % rooms.length] as string)}`, {}),
  ];
}

test('mixed concurrent traffic of one tenant: every request succeeds', async () => {
  const lastEvents = new Map<string, string>();
  for (let round = 0; round < ROUNDS; round++) {
    const fresh = await newcomer(round);
    const results = await Promise.all([...fresh, ...users.flatMap((user, index) => roundOf(user, index, round, lastEvents))]);
    const failed = results.filter((r) => r.status !== 200);
    expect(failed).toEqual([]);
    for (const room of rooms) {
      const messages = await (users[0] as Client).call('GET', roomPath(room, '/messages?dir=b&limit=1'));
      const chunk = (messages.body as { chunk: Array<{ event_id: string }> }).chunk;
      if (chunk[0]) lastEvents.set(room, chunk[0].event_id);
    }
  }
}, 120_000);
