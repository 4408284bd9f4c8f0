// Isolation of key backups: another user of the same tenant, and a user with the same
// localpart on another tenant, can neither see nor change a backup, even when their own
// backups carry the same version number.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { call, createOpenTenant, register, startRoomsShard, type Client } from '../rooms/helpers.ts';
import { ALGORITHM, authData, createBackup, expectError, expectUpdate, keyData, keysPath, VERSION_PATH, versionInfo, versionPath } from './key-backup-helpers.ts';

const A = 'backup-a.example';
const B = 'backup-b.example';
const ROOM = '!room:backup-a.example';
let shard: TestShard;
let aliceA: Client;
let bobA: Client;
let aliceB: Client;
let aliceVersion: string;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, A);
  await createOpenTenant(shard, B);
  [aliceA, bobA, aliceB] = (await Promise.all([register(shard, A, 'alice'), register(shard, A, 'bob'), register(shard, B, 'alice')])) as [Client, Client, Client];
  aliceVersion = await createBackup(aliceA, authData('alice-key'));
  await expectUpdate(aliceA.call('PUT', keysPath(aliceVersion, ROOM, 'secret'), keyData('alice')));
});
afterAll(async () => shard?.close());

async function expectAliceUntouched(): Promise<void> {
  expect(await versionInfo(aliceA)).toMatchObject({ version: aliceVersion, auth_data: authData('alice-key'), count: 1 });
  expect((await aliceA.call('GET', keysPath(aliceVersion, ROOM, 'secret'))).body).toEqual(keyData('alice'));
}

describe.each([
  ['another user of the same tenant', () => bobA],
  ['the same localpart on another tenant', () => aliceB],
])('%s', (_name, other) => {
  test('sees no backup, no version and no keys', async () => {
    const o = other();
    expectError(await o.call('GET', VERSION_PATH), 404, 'M_NOT_FOUND');
    expectError(await o.call('GET', versionPath(aliceVersion)), 404, 'M_NOT_FOUND');
    expectError(await o.call('GET', keysPath(aliceVersion)), 404, 'M_NOT_FOUND');
    expectError(await o.call('GET', keysPath(aliceVersion, ROOM)), 404, 'M_NOT_FOUND');
    expectError(await o.call('GET', keysPath(aliceVersion, ROOM, 'secret')), 404, 'M_NOT_FOUND');
  });

  test('cannot change the backup, its auth_data or its keys', async () => {
    const o = other();
    expectError(await o.call('PUT', versionPath(aliceVersion), { algorithm: ALGORITHM, auth_data: authData('evil') }), 404, 'M_NOT_FOUND');
    expectError(await o.call('PUT', keysPath(aliceVersion, ROOM, 'secret'), keyData('evil', { is_verified: true })), 404, 'M_NOT_FOUND');
    expectError(await o.call('DELETE', keysPath(aliceVersion)), 404, 'M_NOT_FOUND');
    expectError(await o.call('DELETE', versionPath(aliceVersion)), 404, 'M_NOT_FOUND');
    await expectAliceUntouched();
  });
});

test('a backup of another user with the same version number is a separate backup', async () => {
  const bobVersion = await createBackup(bobA, authData('bob-key'));
  // Versions count per user, so bob's first backup has alice's number.
  expect(bobVersion).toBe(aliceVersion);
  expect((await bobA.call('GET', keysPath(bobVersion))).body).toEqual({ rooms: {} });
  await expectUpdate(bobA.call('PUT', keysPath(bobVersion, ROOM, 'secret'), keyData('bob', { is_verified: true })));
  expect((await bobA.call('GET', keysPath(bobVersion, ROOM, 'secret'))).body).toEqual(keyData('bob', { is_verified: true }));
  await expectUpdate(bobA.call('DELETE', keysPath(bobVersion, ROOM)));
  expect((await bobA.call('DELETE', versionPath(bobVersion))).status).toBe(200);
  await expectAliceUntouched();
});

test('the same localpart on another tenant has its own backups', async () => {
  const version = await createBackup(aliceB, authData('b-key'));
  await expectUpdate(aliceB.call('PUT', keysPath(version, ROOM, 'secret'), keyData('b')));
  expect((await aliceB.call('GET', keysPath(version))).body).toEqual({ rooms: { [ROOM]: { sessions: { secret: keyData('b') } } } });
  await expectAliceUntouched();
});

test('an access token of tenant A is unknown on tenant B', async () => {
  const res = await call(shard, B, 'GET', VERSION_PATH, { token: aliceA.token });
  expectError(res, 401, 'M_UNKNOWN_TOKEN');
});
