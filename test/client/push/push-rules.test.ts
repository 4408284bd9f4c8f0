// The push rules API over HTTP: the default ruleset of a new user, creating, ordering
// (before/after), updating and deleting own rules, enabled and actions of own and default
// rules, the m.push_rules account data event, error cases and tenant isolation. Every
// response is checked against the spec.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { defaultPushRules } from '../../../src/protocol/push/index.ts';
import { callTenant } from '../../helpers/http.ts';
import type { TestShard } from '../../helpers/shard.ts';
import { CS, createOpenTenant, enc, register, startRoomsShard, sync, type Client } from '../rooms/helpers.ts';

const SERVER = 'rules.example';
const OTHER = 'other-rules.example';
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

const RULES = `${CS}/pushrules/`;
const rulePath = (kind: string, ruleId: string, rest = ''): string => `${CS}/pushrules/global/${kind}/${enc(ruleId)}${rest}`;

interface Rule {
  rule_id: string;
  default: boolean;
  enabled: boolean;
  actions: unknown[];
  pattern?: string;
  conditions?: unknown[];
}
type Ruleset = Record<'override' | 'content' | 'room' | 'sender' | 'underride', Rule[]>;

async function ruleset(client: Client): Promise<Ruleset> {
  const res = await client.call('GET', RULES);
  expect(res.status, res.text).toBe(200);
  return (res.body as { global: Ruleset }).global;
}

async function put(client: Client, kind: string, ruleId: string, body: unknown, query = ''): Promise<{ status: number; body: unknown }> {
  return client.call('PUT', `${rulePath(kind, ruleId)}${query}`, body);
}

function ids(rules: Rule[]): string[] {
  return rules.map((r) => r.rule_id);
}

describe('the default ruleset', () => {
  test('a new user gets the server-default rules, with their own user ID', async () => {
    const res = await bob.call('GET', RULES);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual(defaultPushRules(bob.userId));
    const global = (res.body as { global: Ruleset }).global;
    expect(ids(global.override)).toEqual([
      '.m.rule.master',
      '.m.rule.suppress_notices',
      '.m.rule.invite_for_me',
      '.m.rule.member_event',
      '.m.rule.is_user_mention',
      '.m.rule.is_room_mention',
      '.m.rule.tombstone',
      '.m.rule.reaction',
      '.m.rule.room.server_acl',
      '.m.rule.suppress_edits',
    ]);
    expect(ids(global.underride)).toEqual(['.m.rule.call', '.m.rule.encrypted_room_one_to_one', '.m.rule.room_one_to_one', '.m.rule.message', '.m.rule.encrypted']);
    expect(global.content).toEqual([]);
  });

  test('GET /pushrules/global/ is the ruleset itself; both forms answer without the trailing slash', async () => {
    const res = await bob.call('GET', `${CS}/pushrules/global/`);
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual(defaultPushRules(bob.userId).global);
    for (const path of [`${CS}/pushrules`, `${CS}/pushrules/global`]) {
      const bare = await callTenant(shard.url, SERVER, path, { token: bob.token });
      expect(bare.status, bare.text).toBe(200);
    }
  });

  test('one default rule, its enabled flag and actions', async () => {
    const rule = await bob.call('GET', rulePath('override', '.m.rule.master'));
    expect(rule.status, rule.text).toBe(200);
    expect(rule.body).toEqual({ rule_id: '.m.rule.master', default: true, enabled: false, conditions: [], actions: [] });
    const enabled = await bob.call('GET', rulePath('override', '.m.rule.master', '/enabled'));
    expect(enabled.body).toEqual({ enabled: false });
    const actions = await bob.call('GET', rulePath('underride', '.m.rule.room_one_to_one', '/actions'));
    expect(actions.body).toEqual({ actions: ['notify', { set_tweak: 'sound', value: 'default' }] });
  });

  test('unknown rules are 404 M_NOT_FOUND, unknown kinds 400 M_INVALID_PARAM', async () => {
    for (const path of [rulePath('override', 'nope'), rulePath('content', '.m.rule.master'), rulePath('override', 'nope', '/enabled'), rulePath('room', '!x:y', '/actions')]) {
      const res = await bob.call('GET', path);
      expect(res.status, path).toBe(404);
      expect((res.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');
    }
    const res = await callTenant(shard.url, SERVER, rulePath('bogus', 'x'), { token: bob.token });
    expect(res.status).toBe(400);
    expect((res.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
  });

  test('the API needs an access token', async () => {
    const res = await callTenant(shard.url, SERVER, RULES);
    expect(res.status).toBe(401);
    expect((res.body as { errcode: string }).errcode).toBe('M_MISSING_TOKEN');
  });
});

describe('own rules', () => {
  test('a new rule is enabled and the most important of its kind; before/after place it', async () => {
    expect((await put(alice, 'content', 'cake', { pattern: 'cake', actions: ['notify'] })).status).toBe(200);
    expect((await put(alice, 'content', 'tea', { pattern: 'tea', actions: ['notify'] })).status).toBe(200);
    expect(ids((await ruleset(alice)).content)).toEqual(['tea', 'cake']);

    expect((await put(alice, 'content', 'lie', { pattern: 'cake*lie', actions: ['notify'] }, '?before=cake')).status).toBe(200);
    expect(ids((await ruleset(alice)).content)).toEqual(['tea', 'lie', 'cake']);
    expect((await put(alice, 'content', 'coffee', { pattern: 'coffee', actions: [] }, '?after=cake')).status).toBe(200);
    expect(ids((await ruleset(alice)).content)).toEqual(['tea', 'lie', 'cake', 'coffee']);
    // before wins when both are given.
    expect((await put(alice, 'content', 'milk', { pattern: 'milk', actions: [] }, '?before=tea&after=coffee')).status).toBe(200);
    expect(ids((await ruleset(alice)).content)).toEqual(['milk', 'tea', 'lie', 'cake', 'coffee']);

    const rule = await alice.call('GET', rulePath('content', 'lie'));
    expect(rule.body).toEqual({ rule_id: 'lie', default: false, enabled: true, pattern: 'cake*lie', actions: ['notify'] });
  });

  test('updating a rule keeps its place and enabled flag; before/after move it', async () => {
    expect((await alice.call('PUT', rulePath('content', 'lie', '/enabled'), { enabled: false })).status).toBe(200);
    expect((await put(alice, 'content', 'lie', { pattern: 'lies', actions: [{ set_tweak: 'sound', value: 'x' }, 'notify'] })).status).toBe(200);
    const content = (await ruleset(alice)).content;
    expect(ids(content)).toEqual(['milk', 'tea', 'lie', 'cake', 'coffee']);
    expect(content[2]).toEqual({ rule_id: 'lie', default: false, enabled: false, pattern: 'lies', actions: [{ set_tweak: 'sound', value: 'x' }, 'notify'] });
    expect((await put(alice, 'content', 'lie', { pattern: 'lies', actions: [] }, '?after=coffee')).status).toBe(200);
    expect(ids((await ruleset(alice)).content)).toEqual(['milk', 'tea', 'cake', 'coffee', 'lie']);
  });

  test('placing relative to a missing rule is 400 M_UNKNOWN, relative to a default rule M_INVALID_PARAM', async () => {
    const missing = await put(alice, 'content', 'x', { pattern: 'x', actions: [] }, '?before=nothere');
    expect(missing.status).toBe(400);
    expect((missing.body as { errcode: string }).errcode).toBe('M_UNKNOWN');
    const overDefault = await put(alice, 'override', 'x', { actions: [] }, `?after=${enc('.m.rule.master')}`);
    expect(overDefault.status).toBe(400);
    expect((overDefault.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
    expect(ids((await ruleset(alice)).content)).not.toContain('x');
  });

  test('user override rules come after the master rule and before the other defaults', async () => {
    const conditions = [
      { kind: 'event_match', key: 'content.body', pattern: 'beer' },
      { kind: 'room_member_count', is: '<=10' },
    ];
    expect((await put(alice, 'override', 'beer', { conditions, actions: ['notify', { set_tweak: 'sound', value: 'beeroclock.wav' }] })).status).toBe(200);
    const override = (await ruleset(alice)).override;
    expect(ids(override).slice(0, 3)).toEqual(['.m.rule.master', 'beer', '.m.rule.suppress_notices']);
    expect(override[1]).toEqual({ rule_id: 'beer', default: false, enabled: true, conditions, actions: ['notify', { set_tweak: 'sound', value: 'beeroclock.wav' }] });
  });

  test('room and sender rules are keyed by room and user ID', async () => {
    expect((await put(alice, 'room', '!dj234r78wl45Gh4D:matrix.org', { actions: [] })).status).toBe(200);
    expect((await put(alice, 'sender', '@spambot:matrix.org', { actions: [] })).status).toBe(200);
    const rules = await ruleset(alice);
    expect(rules.room).toEqual([{ rule_id: '!dj234r78wl45Gh4D:matrix.org', default: false, enabled: true, actions: [] }]);
    expect(rules.sender).toEqual([{ rule_id: '@spambot:matrix.org', default: false, enabled: true, actions: [] }]);
  });

  test('deleting an own rule; deleting it again is 404; default rules cannot be deleted', async () => {
    const del = await alice.call('DELETE', rulePath('content', 'milk'));
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(del.body).toEqual({});
    expect(ids((await ruleset(alice)).content)).toEqual(['tea', 'cake', 'coffee', 'lie']);
    const again = await alice.call('DELETE', rulePath('content', 'milk'));
    expect(again.status).toBe(404);
    expect((again.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');
    expect((await alice.call('GET', rulePath('content', 'milk'))).status).toBe(404);

    const builtin = await alice.call('DELETE', rulePath('override', '.m.rule.master'));
    expect(builtin.status).toBe(400);
    expect((builtin.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
    expect((await alice.call('DELETE', rulePath('override', '.m.rule.nonexistent'))).status).toBe(404);
  });

  test('invalid rule IDs and bodies', async () => {
    const cases: Array<[string, string, unknown, string, string?]> = [
      ['override', '.m.rule.mine', { actions: [] }, 'M_INVALID_PARAM'],
      ['room', 'not-a-room', { actions: [] }, 'M_INVALID_PARAM'],
      ['sender', 'not-a-user', { actions: [] }, 'M_INVALID_PARAM'],
      ['override', 'a\\b', { actions: [] }, 'M_INVALID_PARAM'],
      ['override', 'x', {}, 'M_BAD_JSON'],
      ['override', 'x', { actions: 'notify' }, 'M_BAD_JSON'],
      ['override', 'x', { actions: ['explode'] }, 'M_BAD_JSON'],
      ['override', 'x', { actions: [{ set_tweak: 'highlight', value: 'yes' }] }, 'M_BAD_JSON'],
      ['override', 'x', { actions: [], conditions: 'all' }, 'M_BAD_JSON'],
      ['override', 'x', { actions: [], conditions: [{ kind: 'event_match', key: 'type' }] }, 'M_BAD_JSON'],
      ['content', 'x', { actions: [] }, 'M_BAD_JSON'],
      ['content', 'x', { actions: [], pattern: 5 }, 'M_BAD_JSON'],
      ['content', 'x', { actions: [], pattern: 'a\u0000b' }, 'M_BAD_JSON'],
      ['override', 'x', ['actions'], 'M_BAD_JSON'],
    ];
    for (const [kind, ruleId, body, errcode] of cases) {
      const res = await put(alice, kind, ruleId, body);
      expect(res.status, `${kind}/${ruleId} ${JSON.stringify(body)}`).toBe(400);
      expect((res.body as { errcode: string }).errcode, `${kind}/${ruleId} ${JSON.stringify(body)}`).toBe(errcode);
    }
    const badKind = await callTenant(shard.url, SERVER, rulePath('everything', 'x'), { method: 'PUT', token: alice.token, body: { actions: [] } });
    expect(badKind.status).toBe(400);
    expect((badKind.body as { errcode: string }).errcode).toBe('M_INVALID_PARAM');
    const nul = await callTenant(shard.url, SERVER, `${CS}/pushrules/global/override/a%00b`, { method: 'PUT', token: alice.token, body: { actions: [] } });
    expect(nul.status).toBe(400);
    const huge = await put(alice, 'content', 'huge', { pattern: 'x'.repeat(20_000), actions: [] });
    expect(huge.status).toBe(413);
    expect((huge.body as { errcode: string }).errcode).toBe('M_TOO_LARGE');
    const notJson = await callTenant(shard.url, SERVER, rulePath('override', 'x'), { method: 'PUT', token: alice.token, rawBody: '{"actions": [' });
    expect(notJson.status).toBe(400);
    expect((notJson.body as { errcode: string }).errcode).toBe('M_NOT_JSON');
  });
});

describe('enabled and actions', () => {
  test('enabling and disabling default and own rules', async () => {
    expect((await bob.call('PUT', rulePath('override', '.m.rule.master', '/enabled'), { enabled: true })).status).toBe(200);
    expect((await bob.call('GET', rulePath('override', '.m.rule.master', '/enabled'))).body).toEqual({ enabled: true });
    expect((await ruleset(bob)).override[0]).toMatchObject({ rule_id: '.m.rule.master', default: true, enabled: true });
    expect((await bob.call('PUT', rulePath('override', '.m.rule.master', '/enabled'), { enabled: false })).status).toBe(200);
    expect((await bob.call('GET', rulePath('override', '.m.rule.master'))).body).toMatchObject({ enabled: false });

    expect((await put(bob, 'override', 'own', { actions: ['notify'] })).status).toBe(200);
    expect((await bob.call('PUT', rulePath('override', 'own', '/enabled'), { enabled: false })).status).toBe(200);
    expect((await bob.call('GET', rulePath('override', 'own', '/enabled'))).body).toEqual({ enabled: false });
  });

  test('changing the actions of default and own rules; a default rule keeps its other choice', async () => {
    expect((await bob.call('PUT', rulePath('underride', '.m.rule.message', '/enabled'), { enabled: false })).status).toBe(200);
    const actions = ['notify', { set_tweak: 'highlight' }];
    expect((await bob.call('PUT', rulePath('underride', '.m.rule.message', '/actions'), { actions })).status).toBe(200);
    expect((await bob.call('GET', rulePath('underride', '.m.rule.message', '/actions'))).body).toEqual({ actions });
    expect((await bob.call('GET', rulePath('underride', '.m.rule.message'))).body).toMatchObject({ enabled: false, default: true, actions });
    // Historical actions are accepted and dropped.
    expect((await bob.call('PUT', rulePath('override', 'own', '/actions'), { actions: ['dont_notify'] })).status).toBe(200);
    expect((await bob.call('GET', rulePath('override', 'own', '/actions'))).body).toEqual({ actions: [] });
  });

  test('errors: unknown rules 404, bad bodies M_BAD_JSON', async () => {
    for (const [path, body] of [
      [rulePath('override', 'ghost', '/enabled'), { enabled: true }],
      [rulePath('override', 'ghost', '/actions'), { actions: [] }],
      [rulePath('override', '.m.rule.ghost', '/enabled'), { enabled: true }],
      [rulePath('content', '.m.rule.master', '/actions'), { actions: [] }],
    ] as const) {
      const res = await bob.call('PUT', path, body);
      expect(res.status, path).toBe(404);
      expect((res.body as { errcode: string }).errcode).toBe('M_NOT_FOUND');
    }
    for (const [path, body] of [
      [rulePath('override', '.m.rule.master', '/enabled'), { enabled: 'yes' }],
      [rulePath('override', '.m.rule.master', '/enabled'), {}],
      [rulePath('override', '.m.rule.master', '/actions'), { actions: {} }],
      [rulePath('override', '.m.rule.master', '/actions'), {}],
    ] as const) {
      const res = await bob.call('PUT', path, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect((res.body as { errcode: string }).errcode).toBe('M_BAD_JSON');
    }
  });
});

describe('m.push_rules account data', () => {
  test('every change is sent to the user as m.push_rules in /sync and readable as account data', async () => {
    const carol = await register(shard, SERVER, 'carol');
    const first = await sync(carol);
    expect((await put(carol, 'content', 'coffee', { pattern: 'coffee', actions: ['notify'] })).status).toBe(200);
    const next = (await sync(carol, { since: first.next_batch, timeout: 0 })) as { account_data?: { events: Array<{ type: string; content: unknown }> } };
    const event = next.account_data?.events.find((e) => e.type === 'm.push_rules');
    expect(event?.content).toEqual({ global: await ruleset(carol) });
    const stored = await carol.call('GET', `${CS}/user/${enc(carol.userId)}/account_data/m.push_rules`);
    expect(stored.status).toBe(200);
    expect(stored.body).toEqual({ global: await ruleset(carol) });
  });
});

describe('tenant isolation', () => {
  test('a user of the same name on another tenant has their own rules', async () => {
    const rules = await ruleset(otherAlice);
    expect(rules.content).toEqual([]);
    expect(rules.override.find((r) => r.rule_id === 'beer')).toBeUndefined();
    expect(JSON.stringify(rules)).toContain(otherAlice.userId);
    expect(JSON.stringify(rules)).not.toContain(alice.userId);
    expect((await otherAlice.call('GET', rulePath('content', 'cake'))).status).toBe(404);
    // Alice's token means nothing to the other tenant.
    const cross = await callTenant(shard.url, OTHER, RULES, { token: alice.token });
    expect(cross.status).toBe(401);
  });
});
