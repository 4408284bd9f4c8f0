// Deactivating an account deletes its server-side key backups (the user's encrypted room
// keys) along with the account.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TenantContext } from '../../../src/tenancy/context.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, createOpenTenant, register, startRoomsShard } from '../rooms/helpers.ts';
import { authData, createBackup, expectUpdate, keyData, keysPath } from './key-backup-helpers.ts';

const SERVER = 'backup-deactivation.example';
let shard: TestShard;
let tenant: TenantContext;

beforeAll(async () => {
  shard = await startRoomsShard();
  tenant = await createOpenTenant(shard, SERVER);
});
afterAll(async () => shard?.close());

test('deactivation deletes the backups and their keys; other users keep theirs', async () => {
  const alice = await register(shard, SERVER, 'alice');
  const bob = await register(shard, SERVER, 'bob');
  const version = await createBackup(alice, authData());
  await expectUpdate(alice.call('PUT', keysPath(version, '!room:backup-deactivation.example', 'session'), keyData('alice')));
  const bobVersion = await createBackup(bob, authData());
  await expectUpdate(bob.call('PUT', keysPath(bobVersion, '!room:backup-deactivation.example', 'session'), keyData('bob')));

  const first = await alice.call('POST', `${CS}/account/deactivate`, {});
  expect(first.status).toBe(401);
  const session = (first.body as { session: string }).session;
  const done = await alice.call('POST', `${CS}/account/deactivate`, {
    auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: alice.userId }, password: 'correct horse battery staple', session },
  });
  expect(done.status).toBe(200);

  // Versions stay as deleted markers (version numbers are never reused); keys are gone.
  const live = await tenant.db.selectFrom('key_backup_versions').select(['user_id']).where('deleted', '=', false).execute();
  const sessions = await tenant.db.selectFrom('key_backup_sessions').select(['user_id']).execute();
  expect(live.map((v) => v.user_id)).toEqual([bob.userId]);
  expect(sessions.map((s) => s.user_id)).toEqual([bob.userId]);
});
