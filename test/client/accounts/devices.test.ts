// Device management: list, show, rename, delete one (UIA), delete several (UIA).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, call, loginUser, passwordAuth, registerUser, startAccountsShard, whoami, withPasswordUia } from './helpers.ts';

let shard: TestShard;
const HS = 'devices.example';
let counter = 0;

beforeAll(async () => {
  shard = await startAccountsShard();
  await shard.createTenant({ server_name: HS, registration: 'open' });
});
afterAll(async () => shard?.close());

interface Device {
  device_id: string;
  display_name?: string;
  last_seen_ts?: number;
  last_seen_ip?: string;
}

async function devicesOf(token: string): Promise<Device[]> {
  const res = await call(shard, HS, 'GET', `${CS}/devices`, { token });
  expect(res.status).toBe(200);
  return (res.body as { devices: Device[] }).devices;
}

describe('listing and showing', () => {
  test('GET /devices lists exactly the user’s devices', async () => {
    const a = await registerUser(shard, HS, 'lister', { initial_device_display_name: 'Phone' });
    const b = await loginUser(shard, HS, 'lister');
    const stranger = await registerUser(shard, HS, 'stranger');
    const devices = await devicesOf(a.access_token);
    expect(devices.map((d) => d.device_id).sort()).toEqual([a.device_id, b.device_id].sort());
    expect(devices.find((d) => d.device_id === a.device_id)).toMatchObject({ display_name: 'Phone' });
    // A device without a name has no display_name at all (not null).
    expect(devices.find((d) => d.device_id === b.device_id)).not.toHaveProperty('display_name');
    expect((await devicesOf(stranger.access_token)).map((d) => d.device_id)).toEqual([stranger.device_id]);
  });

  test('GET /devices/{deviceId}: own device 200, unknown or foreign 404', async () => {
    const a = await registerUser(shard, HS, 'shower');
    const other = await registerUser(shard, HS, 'othershower');
    const own = await call(shard, HS, 'GET', `${CS}/devices/${a.device_id}`, { token: a.access_token });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ device_id: a.device_id });
    for (const id of ['NOSUCHDEVICE', other.device_id]) {
      const res = await call(shard, HS, 'GET', `${CS}/devices/${id}`, { token: a.access_token });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ errcode: 'M_NOT_FOUND' });
    }
  });

  test('needs an access token', async () => {
    const res = await call(shard, HS, 'GET', `${CS}/devices`);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_MISSING_TOKEN' });
  });
});

describe('renaming', () => {
  test('PUT /devices/{deviceId} sets the display name', async () => {
    const a = await registerUser(shard, HS, 'renamer');
    const res = await call(shard, HS, 'PUT', `${CS}/devices/${a.device_id}`, { body: { display_name: 'My other phone' }, token: a.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const shown = await call(shard, HS, 'GET', `${CS}/devices/${a.device_id}`, { token: a.access_token });
    expect(shown.body).toMatchObject({ display_name: 'My other phone' });
    // Without display_name nothing changes.
    expect((await call(shard, HS, 'PUT', `${CS}/devices/${a.device_id}`, { body: {}, token: a.access_token })).status).toBe(200);
    expect((await call(shard, HS, 'GET', `${CS}/devices/${a.device_id}`, { token: a.access_token })).body).toMatchObject({
      display_name: 'My other phone',
    });
  });

  test('unknown and foreign devices are 404: regular clients cannot create devices', async () => {
    const a = await registerUser(shard, HS, 'renamer2');
    const b = await registerUser(shard, HS, 'renamer3');
    for (const id of ['NEWDEVICE', b.device_id]) {
      const res = await call(shard, HS, 'PUT', `${CS}/devices/${id}`, { body: { display_name: 'x' }, token: a.access_token });
      expect(res.status).toBe(404);
    }
    expect((await call(shard, HS, 'GET', `${CS}/devices/${b.device_id}`, { token: b.access_token })).body).not.toHaveProperty('display_name');
  });

  test.each([
    ['a numeric display_name', { body: { display_name: 3 } }, 'M_BAD_JSON'],
    ['a body that is not an object', { body: 'name' }, 'M_BAD_JSON'],
    ['no body', {}, 'M_NOT_JSON'],
  ])('%s is 400 %s', async (_name, options, errcode) => {
    const a = await registerUser(shard, HS, `badput${++counter}`);
    const res = await call(shard, HS, 'PUT', `${CS}/devices/${a.device_id}`, { ...options, token: a.access_token });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });
});

describe('deleting one device', () => {
  test('DELETE /devices/{deviceId} asks for the password, then deletes and logs the device out', async () => {
    const a = await registerUser(shard, HS, 'deleter');
    const b = await loginUser(shard, HS, 'deleter');
    const first = await call(shard, HS, 'DELETE', `${CS}/devices/${b.device_id}`, { body: {}, token: a.access_token });
    expect(first.status).toBe(401);
    expect(first.body).toEqual({ flows: [{ stages: ['m.login.password'] }], params: {}, session: expect.any(String) });
    expect((await whoami(shard, HS, b.access_token)).status).toBe(200);
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'DELETE', `${CS}/devices/${b.device_id}`, { body: { auth: passwordAuth(session, 'deleter') }, token: a.access_token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await whoami(shard, HS, b.access_token)).status).toBe(401);
    expect((await devicesOf(a.access_token)).map((d) => d.device_id)).toEqual([a.device_id]);
  });

  test('a body-less DELETE gets the UIA challenge', async () => {
    const a = await registerUser(shard, HS, 'bodyless');
    const res = await call(shard, HS, 'DELETE', `${CS}/devices/${a.device_id}`, { token: a.access_token });
    expect(res.status).toBe(401);
    expect(res.body).toHaveProperty('session');
  });

  test('a device that does not exist (or is someone else’s) is "already removed": 200, nothing happens', async () => {
    const a = await registerUser(shard, HS, 'deleter2');
    const b = await registerUser(shard, HS, 'deleter3');
    const res = await withPasswordUia(shard, HS, 'DELETE', `${CS}/devices/${b.device_id}`, a.access_token, 'deleter2');
    expect(res.status).toBe(200);
    expect((await whoami(shard, HS, b.access_token)).status).toBe(200);
  });

  test('deleting the current device logs the caller out', async () => {
    const a = await registerUser(shard, HS, 'selfdelete');
    const res = await withPasswordUia(shard, HS, 'DELETE', `${CS}/devices/${a.device_id}`, a.access_token, 'selfdelete');
    expect(res.status).toBe(200);
    expect((await whoami(shard, HS, a.access_token)).status).toBe(401);
  });

  test('a wrong password is refused in the 401 body and deletes nothing', async () => {
    const a = await registerUser(shard, HS, 'careful');
    const first = await call(shard, HS, 'DELETE', `${CS}/devices/${a.device_id}`, { body: {}, token: a.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'DELETE', `${CS}/devices/${a.device_id}`, {
      body: { auth: passwordAuth(session, 'careful', 'wrong') },
      token: a.access_token,
    });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ errcode: 'M_FORBIDDEN', session });
    expect((await whoami(shard, HS, a.access_token)).status).toBe(200);
  });

  test('a session for one device cannot delete another', async () => {
    const a = await registerUser(shard, HS, 'switcher');
    const b = await loginUser(shard, HS, 'switcher');
    const c = await loginUser(shard, HS, 'switcher');
    const first = await call(shard, HS, 'DELETE', `${CS}/devices/${b.device_id}`, { body: {}, token: a.access_token });
    const session = (first.body as { session: string }).session;
    const res = await call(shard, HS, 'DELETE', `${CS}/devices/${c.device_id}`, { body: { auth: passwordAuth(session, 'switcher') }, token: a.access_token });
    expect(res.status).toBe(403);
    expect((await whoami(shard, HS, c.access_token)).status).toBe(200);
  });
});

describe('deleting several devices', () => {
  test('POST /delete_devices with UIA deletes the listed devices only', async () => {
    const a = await registerUser(shard, HS, 'bulk');
    const b = await loginUser(shard, HS, 'bulk');
    const c = await loginUser(shard, HS, 'bulk');
    const d = await loginUser(shard, HS, 'bulk');
    const res = await withPasswordUia(shard, HS, 'POST', `${CS}/delete_devices`, a.access_token, 'bulk', {
      devices: [b.device_id, c.device_id, 'UNKNOWN'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect((await whoami(shard, HS, b.access_token)).status).toBe(401);
    expect((await whoami(shard, HS, c.access_token)).status).toBe(401);
    expect((await whoami(shard, HS, d.access_token)).status).toBe(200);
    expect((await devicesOf(a.access_token)).map((x) => x.device_id).sort()).toEqual([a.device_id, d.device_id].sort());
  });

  test.each([
    ['no devices', { auth: undefined }, 'M_MISSING_PARAM'],
    ['devices that are not strings', { devices: [1, 2] }, 'M_BAD_JSON'],
    ['devices that is a string', { devices: 'ABC' }, 'M_BAD_JSON'],
  ])('%s is 400 %s', async (_name, body, errcode) => {
    const a = await registerUser(shard, HS, `badbulk${++counter}`);
    const res = await call(shard, HS, 'POST', `${CS}/delete_devices`, { body, token: a.access_token });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ errcode });
  });

  test('an empty list still needs auth and then does nothing', async () => {
    const a = await registerUser(shard, HS, 'emptybulk');
    const res = await withPasswordUia(shard, HS, 'POST', `${CS}/delete_devices`, a.access_token, 'emptybulk', { devices: [] });
    expect(res.status).toBe(200);
    expect((await whoami(shard, HS, a.access_token)).status).toBe(200);
  });
});
