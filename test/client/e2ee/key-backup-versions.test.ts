// Key backup versions over HTTP: POST/GET/PUT/DELETE /room_keys/version[/{version}], the
// current version after deletions, version numbers that are never reused, and the errors
// the spec names (404 M_NOT_FOUND, 400 M_INVALID_PARAM).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callTenant } from '../../helpers/http.ts';
import { expectSpecConformance } from '../../helpers/openapi.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { deleteAllBackupsOfUser } from '../../../src/storage/key-backup.ts';
import { createOpenTenant, register, startRoomsShard, type Client } from '../rooms/helpers.ts';
import {
  ALGORITHM,
  authData,
  createBackup,
  deleteAllBackups,
  expectError,
  expectUpdate,
  keyData,
  keysPath,
  VERSION_PATH,
  versionInfo,
  versionPath,
} from './key-backup-helpers.ts';

const HS = 'backup-versions.example';
const ROOM = '!room:backup-versions.example';
let shard: TestShard;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, HS);
});
afterAll(async () => shard?.close());

let userCounter = 0;
/** A fresh user per test, so tests do not see each other's backups. */
function newUser(): Promise<Client> {
  return register(shard, HS, `user${userCounter++}`);
}

describe('without any backup', () => {
  test('GET /room_keys/version is 404 M_NOT_FOUND', async () => {
    const user = await newUser();
    expectError(await user.call('GET', VERSION_PATH), 404, 'M_NOT_FOUND');
  });

  test('GET, PUT and DELETE of a version that never existed are 404 M_NOT_FOUND', async () => {
    const user = await newUser();
    for (const version of ['1', '42', 'abc', '0', '01', '99999999999999999999']) {
      expectError(await user.call('GET', versionPath(version)), 404, 'M_NOT_FOUND');
      expectError(await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData() }), 404, 'M_NOT_FOUND');
      expectError(await user.call('DELETE', versionPath(version)), 404, 'M_NOT_FOUND');
    }
  });
});

describe('creating and reading', () => {
  test('POST returns a version string; GET (latest and by version) returns algorithm, auth_data, count 0 and an etag', async () => {
    const user = await newUser();
    const data = authData('pubkey-1');
    const version = await createBackup(user, data);
    const latest = await versionInfo(user);
    expect(latest).toEqual({ version, algorithm: ALGORITHM, auth_data: data, count: 0, etag: expect.any(String) });
    expect(await versionInfo(user, version)).toEqual(latest);
  });

  test('each new backup gets a higher version and becomes the current one; older ones stay readable', async () => {
    const user = await newUser();
    const first = await createBackup(user, authData('k1'));
    const second = await createBackup(user, authData('k2'));
    expect(Number(second)).toBeGreaterThan(Number(first));
    expect((await versionInfo(user)).version).toBe(second);
    expect((await versionInfo(user, first)).auth_data).toEqual(authData('k1'));
  });
});

describe('updating', () => {
  test('PUT replaces auth_data and returns {}; the body version may repeat the path version', async () => {
    const user = await newUser();
    const version = await createBackup(user, authData('old'));
    const res = await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData('new'), version });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expect((await versionInfo(user, version)).auth_data).toEqual(authData('new'));
    const again = await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData('newer') });
    expect(again.status).toBe(200);
    expect((await versionInfo(user)).auth_data).toEqual(authData('newer'));
  });

  test('a body version other than the path version is 400 M_INVALID_PARAM, and nothing changes', async () => {
    const user = await newUser();
    const version = await createBackup(user, authData('keep'));
    const res = await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData('other'), version: `${version}0` });
    expectError(res, 400, 'M_INVALID_PARAM');
    expect((await versionInfo(user)).auth_data).toEqual(authData('keep'));
  });

  test('an algorithm other than the backup’s is 400 M_INVALID_PARAM', async () => {
    const user = await newUser();
    const version = await createBackup(user);
    // The spec defines one algorithm, so any other is refused before the comparison.
    const res = await user.call('PUT', versionPath(version), { algorithm: 'org.example.other', auth_data: authData() });
    expectError(res, 400, 'M_INVALID_PARAM');
  });

  test('updating auth_data leaves the keys, count and etag alone', async () => {
    const user = await newUser();
    const version = await createBackup(user);
    await expectUpdate(user.call('PUT', keysPath(version, ROOM, 'sess'), keyData('a')));
    const before = await versionInfo(user);
    await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData('rotated') });
    const after = await versionInfo(user);
    expect({ count: after.count, etag: after.etag }).toEqual({ count: before.count, etag: before.etag });
  });
});

describe('deleting', () => {
  test('DELETE removes the backup and its keys; deleting it again succeeds; it is 404 afterwards', async () => {
    const user = await newUser();
    const version = await createBackup(user);
    await expectUpdate(user.call('PUT', keysPath(version, ROOM, 'sess'), keyData('a')));
    const res = await user.call('DELETE', versionPath(version));
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({});
    expectError(await user.call('GET', VERSION_PATH), 404, 'M_NOT_FOUND');
    expectError(await user.call('GET', versionPath(version)), 404, 'M_NOT_FOUND');
    expectError(await user.call('GET', keysPath(version)), 404, 'M_NOT_FOUND');
    expectError(await user.call('PUT', versionPath(version), { algorithm: ALGORITHM, auth_data: authData() }), 404, 'M_NOT_FOUND');
    const again = await user.call('DELETE', versionPath(version));
    expect(again.status, again.text).toBe(200);
    expect(again.body).toEqual({});
  });

  test('deleting the current version makes the previous one current; a new backup never reuses a number', async () => {
    const user = await newUser();
    const first = await createBackup(user);
    const second = await createBackup(user);
    await user.call('DELETE', versionPath(second));
    expect((await versionInfo(user)).version).toBe(first);
    const third = await createBackup(user);
    expect(Number(third)).toBeGreaterThan(Number(second));
    expect((await versionInfo(user)).version).toBe(third);
  });

  test('deleting every version as matrix-js-sdk does ends with 404', async () => {
    const user = await newUser();
    for (let i = 0; i < 3; i++) await createBackup(user);
    await deleteAllBackups(user);
    expectError(await user.call('GET', VERSION_PATH), 404, 'M_NOT_FOUND');
  });

  test('keys of a deleted version are gone from the database', async () => {
    const user = await newUser();
    const version = await createBackup(user);
    await expectUpdate(user.call('PUT', keysPath(version, ROOM, 's1'), keyData('a')));
    await user.call('DELETE', versionPath(version));
    const tenant = await shard.tenants.acquire(HS);
    tenant.release();
    const rows = await tenant.context.db.selectFrom('key_backup_sessions').select('session_id').where('user_id', '=', user.userId).execute();
    expect(rows).toEqual([]);
  });
});

test('deleteAllBackupsOfUser (for deactivation) removes every key and version of one user only', async () => {
  const [user, other] = await Promise.all([newUser(), newUser()]);
  const first = await createBackup(user);
  await expectUpdate(user.call('PUT', keysPath(first, ROOM, 's1'), keyData('a')));
  const second = await createBackup(user);
  await expectUpdate(user.call('PUT', keysPath(second, ROOM, 's1'), keyData('b')));
  const otherVersion = await createBackup(other);
  await expectUpdate(other.call('PUT', keysPath(otherVersion, ROOM, 's1'), keyData('c')));
  const tenant = await shard.tenants.acquire(HS);
  tenant.release();
  await tenant.context.db.transaction().execute((trx) => deleteAllBackupsOfUser(trx, user.userId));
  expectError(await user.call('GET', VERSION_PATH), 404, 'M_NOT_FOUND');
  expectError(await user.call('GET', keysPath(first)), 404, 'M_NOT_FOUND');
  expect(Number(await createBackup(user))).toBeGreaterThan(Number(second));
  expect((await other.call('GET', keysPath(otherVersion, ROOM, 's1'))).body).toEqual(keyData('c'));
});

test('every /room_keys endpoint needs an access token', async () => {
  const paths: [string, string][] = [
    ['POST', VERSION_PATH],
    ['GET', VERSION_PATH],
    ['GET', versionPath('1')],
    ['PUT', versionPath('1')],
    ['DELETE', versionPath('1')],
    ['PUT', keysPath('1')],
    ['GET', keysPath('1')],
    ['DELETE', keysPath('1')],
    ['GET', keysPath('1', ROOM)],
    ['PUT', keysPath('1', ROOM, 's')],
  ];
  for (const [method, path] of paths) {
    const res = await callTenant(shard.url, HS, path, { method, body: method === 'PUT' || method === 'POST' ? {} : undefined });
    await expectSpecConformance(method, path, res.status, res.body);
    expect(res.status, `${method} ${path}`).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  }
});
