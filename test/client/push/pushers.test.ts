// Pushers over HTTP: setting, updating, listing and deleting (kind null), the append rule
// for one app ID and pushkey across users, http and email validation, bad input and tenant
// isolation. Every response is checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { callTenant } from '../../helpers/http.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, createOpenTenant, register, startRoomsShard, type Client } from '../rooms/helpers.ts';

const SERVER = 'pushers.example';
const OTHER = 'other-pushers.example';
let shard: TestShard;
let alice: Client;
let bob: Client;
let otherAlice: Client;

beforeAll(async () => {
  shard = await startRoomsShard();
  await createOpenTenant(shard, SERVER);
  await createOpenTenant(shard, OTHER);
  [alice, bob] = (await Promise.all(['alice', 'bob'].map((name) => register(shard, SERVER, name)))) as [Client, Client];
  otherAlice = await register(shard, OTHER, 'alice');
});
afterAll(async () => shard?.close());

const GATEWAY = 'https://push.example.org/_matrix/push/v1/notify';

function httpPusher(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'http',
    app_id: 'org.example.app.ios',
    pushkey: 'APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8',
    app_display_name: 'Example',
    device_display_name: 'Phone',
    profile_tag: 'xyz',
    lang: 'en-US',
    data: { url: GATEWAY, format: 'event_id_only', custom: { any: 'thing' } },
    ...overrides,
  };
}

async function set(client: Client, body: unknown): Promise<{ status: number; body: unknown }> {
  return client.call('POST', `${CS}/pushers/set`, body);
}

async function list(client: Client): Promise<Array<Record<string, unknown>>> {
  const res = await client.call('GET', `${CS}/pushers`);
  expect(res.status, res.text).toBe(200);
  return (res.body as { pushers: Array<Record<string, unknown>> }).pushers;
}

describe('setting and listing', () => {
  test('a new user has no pushers', async () => {
    expect(await list(alice)).toEqual([]);
  });

  test('an http pusher is stored as given and listed', async () => {
    const res = await set(alice, httpPusher());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    const { kind, app_id, pushkey, app_display_name, device_display_name, profile_tag, lang, data } = httpPusher();
    expect(await list(alice)).toEqual([{ kind, app_id, pushkey, app_display_name, device_display_name, profile_tag, lang, data }]);
  });

  test('setting the same app ID and pushkey again updates the pusher', async () => {
    expect((await set(alice, httpPusher({ device_display_name: 'New phone', profile_tag: undefined, data: { url: GATEWAY } }))).status).toBe(200);
    const pushers = await list(alice);
    expect(pushers).toHaveLength(1);
    expect(pushers[0]).toMatchObject({ device_display_name: 'New phone', data: { url: GATEWAY } });
    expect(pushers[0]).not.toHaveProperty('profile_tag');
  });

  test('another pushkey is another pusher; an email pusher', async () => {
    expect((await set(alice, httpPusher({ pushkey: 'second-device' }))).status).toBe(200);
    expect((await set(alice, { kind: 'email', app_id: 'm.email', pushkey: 'alice@example.org', app_display_name: 'Email', device_display_name: 'alice@example.org', lang: 'en', data: {} })).status).toBe(200);
    const pushers = await list(alice);
    expect(pushers.map((p) => p.pushkey).sort()).toEqual(['APA91bHPRgkF3JUikC4ENAHEeMrd41Zxv3hVZjC9KtT8', 'alice@example.org', 'second-device']);
  });

  test('kind null deletes the pusher (deleting a missing one is fine)', async () => {
    expect((await set(alice, { kind: null, app_id: 'org.example.app.ios', pushkey: 'second-device' })).status).toBe(200);
    expect((await list(alice)).map((p) => p.pushkey)).not.toContain('second-device');
    expect((await set(alice, { kind: null, app_id: 'org.example.app.ios', pushkey: 'second-device' })).status).toBe(200);
  });
});

describe('one app ID and pushkey across users', () => {
  test('without append, setting it removes other users’ pushers with the same app ID and pushkey', async () => {
    const shared = httpPusher({ pushkey: 'shared-device' });
    expect((await set(alice, shared)).status).toBe(200);
    expect((await set(bob, { ...shared, append: true })).status).toBe(200);
    expect((await list(alice)).map((p) => p.pushkey)).toContain('shared-device');
    expect((await list(bob)).map((p) => p.pushkey)).toEqual(['shared-device']);

    expect((await set(bob, shared)).status).toBe(200);
    expect((await list(alice)).map((p) => p.pushkey)).not.toContain('shared-device');
    expect((await list(bob)).map((p) => p.pushkey)).toEqual(['shared-device']);
  });
});

describe('bad input', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['kind missing', (({ kind: _, ...rest }) => rest)(httpPusher()), 'M_MISSING_PARAM'],
    ['app_id missing', (({ app_id: _, ...rest }) => rest)(httpPusher()), 'M_MISSING_PARAM'],
    ['pushkey missing on delete', { kind: null, app_id: 'x' }, 'M_MISSING_PARAM'],
    ['lang and data missing', (({ lang: _l, data: _d, ...rest }) => rest)(httpPusher()), 'M_MISSING_PARAM'],
    ['unknown kind', httpPusher({ kind: 'carrier-pigeon' }), 'M_INVALID_PARAM'],
    ['kind of the wrong type', httpPusher({ kind: 5 }), 'M_BAD_JSON'],
    ['app_id too long', httpPusher({ app_id: 'a'.repeat(65) }), 'M_INVALID_PARAM'],
    ['pushkey too long', httpPusher({ pushkey: 'k'.repeat(513) }), 'M_INVALID_PARAM'],
    ['empty pushkey', httpPusher({ pushkey: '' }), 'M_INVALID_PARAM'],
    ['data not an object', httpPusher({ data: 'https://x' }), 'M_BAD_JSON'],
    ['http without url', httpPusher({ data: {} }), 'M_MISSING_PARAM'],
    ['url not a URL', httpPusher({ data: { url: 'not a url' } }), 'M_INVALID_PARAM'],
    ['plain http url', httpPusher({ data: { url: 'http://push.example.org/_matrix/push/v1/notify' } }), 'M_INVALID_PARAM'],
    ['wrong gateway path', httpPusher({ data: { url: 'https://push.example.org/notify' } }), 'M_INVALID_PARAM'],
    ['unknown format', httpPusher({ data: { url: GATEWAY, format: 'full' } }), 'M_INVALID_PARAM'],
    ['append not a boolean', httpPusher({ append: 'yes' }), 'M_BAD_JSON'],
    ['lang not a string', httpPusher({ lang: 7 }), 'M_BAD_JSON'],
    ['U+0000 in a name', httpPusher({ app_display_name: 'a\u0000b' }), 'M_BAD_JSON'],
    ['U+0000 in data', httpPusher({ data: { url: GATEWAY, x: 'a\u0000' } }), 'M_BAD_JSON'],
    ['email pusher with another app_id', { kind: 'email', app_id: 'org.example', pushkey: 'a@example.org', app_display_name: 'E', device_display_name: 'E', lang: 'en', data: {} }, 'M_INVALID_PARAM'],
    ['email pusher without an address', { kind: 'email', app_id: 'm.email', pushkey: 'nobody', app_display_name: 'E', device_display_name: 'E', lang: 'en', data: {} }, 'M_INVALID_PARAM'],
  ];
  for (const [name, body, errcode] of cases) {
    test(name, async () => {
      const res = await set(bob, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect((res.body as { errcode: string }).errcode).toBe(errcode);
    });
  }

  test('the missing parameters are named', async () => {
    const res = await set(bob, (({ lang: _l, data: _d, ...rest }) => rest)(httpPusher()));
    expect((res.body as { error: string }).error).toBe('Missing parameters: lang, data');
  });

  test('a body that is not an object, or no token', async () => {
    expect((await set(bob, [1, 2])).status).toBe(400);
    const anonymous = await callTenant(shard.url, SERVER, `${CS}/pushers`);
    expect(anonymous.status).toBe(401);
  });

  test('nothing of the bad requests was stored', async () => {
    expect((await list(bob)).map((p) => p.pushkey)).toEqual(['shared-device']);
  });
});

describe('tenant isolation', () => {
  test('the same app ID and pushkey on another tenant is another pusher, untouched by this one', async () => {
    const shared = httpPusher({ pushkey: 'shared-device' });
    expect((await set(otherAlice, shared)).status).toBe(200);
    expect((await set(alice, shared)).status).toBe(200);
    expect((await list(otherAlice)).map((p) => p.pushkey)).toEqual(['shared-device']);
    expect((await list(alice)).map((p) => p.pushkey)).toContain('shared-device');
    // On this tenant, alice's pusher replaced bob's.
    expect(await list(bob)).toEqual([]);
  });
});
