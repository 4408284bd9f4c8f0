import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/protocol/canonical-json.ts';
import { redact } from '../../../src/protocol/redaction.ts';
import { UnknownRoomVersionError } from '../../../src/protocol/room-versions.ts';
import { canonicalObject } from './arbitraries.ts';
import { ALL_VERSIONS } from './fixtures.ts';

type Version = (typeof ALL_VERSIONS)[number];

/** Every top-level key the algorithms mention, plus some they do not. */
const ALL_TOP_LEVEL = [
  'event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth',
  'prev_events', 'prev_state', 'auth_events', 'origin', 'origin_server_ts', 'membership',
  'unsigned', 'redacts', 'age_ts', 'user_id', 'replaces_state', 'custom',
] as const;

// Spec text per algorithm: v1-redactions (v1–v5), v6 (v6–v7), v8 text (v8), v9 (v9–v10),
// v11 (v11, and v12 "unchanged from v11").
const TOP_LEVEL_V1 = [
  'event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth',
  'prev_events', 'prev_state', 'auth_events', 'origin', 'origin_server_ts', 'membership',
];
const TOP_LEVEL_V11 = [
  'event_id', 'type', 'room_id', 'sender', 'state_key', 'content', 'hashes', 'signatures', 'depth',
  'prev_events', 'auth_events', 'origin_server_ts',
];
const EXPECTED_TOP_LEVEL: Record<Version, string[]> = {
  '1': TOP_LEVEL_V1, '2': TOP_LEVEL_V1, '3': TOP_LEVEL_V1, '4': TOP_LEVEL_V1, '5': TOP_LEVEL_V1,
  '6': TOP_LEVEL_V1, '7': TOP_LEVEL_V1, '8': TOP_LEVEL_V1, '9': TOP_LEVEL_V1, '10': TOP_LEVEL_V1,
  '11': TOP_LEVEL_V11, '12': TOP_LEVEL_V11,
};

/** One content object holding every key any rule protects, and some no rule protects. */
const RICH_CONTENT = {
  membership: 'join', join_authorised_via_users_server: '@u:x', displayname: 'D', avatar_url: 'mxc://x/y',
  is_direct: true, reason: 'r', creator: '@c:x', room_version: '11', 'm.federate': false,
  predecessor: { room_id: '!o:x' }, additional_creators: ['@b:x'], type: 'm.space', join_rule: 'restricted',
  allow: [{ type: 'm.room_membership', room_id: '!s:x' }], ban: 50, events: { 'm.room.name': 50 },
  events_default: 0, kick: 50, redact: 50, state_default: 50, users: { '@c:x': 100 }, users_default: 0,
  invite: 0, notifications: { room: 50 }, aliases: ['#a:x'], history_visibility: 'shared', redacts: '$e',
  body: 'hello', name: 'Room', topic: 'T', alias: '#a:x',
};
const ALL_CONTENT_KEYS = Object.keys(RICH_CONTENT);

const PL_V1 = ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'];
const PL_V11 = [...PL_V1, 'invite'];

/** Expected surviving content keys: [type, per-version expectation for versions 1..12]. */
const CONTENT_TABLE: Array<[string, (v: number) => string[]]> = [
  ['m.room.member', (v) => (v >= 9 ? ['membership', 'join_authorised_via_users_server'] : ['membership'])],
  ['m.room.create', (v) => (v >= 11 ? ALL_CONTENT_KEYS : ['creator'])],
  ['m.room.join_rules', (v) => (v >= 8 ? ['join_rule', 'allow'] : ['join_rule'])],
  ['m.room.power_levels', (v) => (v >= 11 ? PL_V11 : PL_V1)],
  ['m.room.aliases', (v) => (v <= 5 ? ['aliases'] : [])],
  ['m.room.history_visibility', () => ['history_visibility']],
  ['m.room.redaction', (v) => (v >= 11 ? ['redacts'] : [])],
  ['m.room.message', () => []],
  ['m.room.name', () => []],
  ['m.room.topic', () => []],
  ['m.room.canonical_alias', () => []],
  ['m.room.third_party_invite', () => []],
  ['m.room.guest_access', () => []],
  ['org.example.custom', () => []],
];

function fullEvent(type: string): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const key of ALL_TOP_LEVEL) event[key] = `value of ${key}`;
  event.type = type;
  event.content = { ...RICH_CONTENT };
  return event;
}

describe.each(ALL_VERSIONS)('redaction in room version %s', (version) => {
  const v = Number(version);

  it('keeps exactly the protected top-level keys and drops unsigned', () => {
    const redacted = redact(fullEvent('m.room.message'), version);
    expect(Object.keys(redacted).sort()).toEqual([...EXPECTED_TOP_LEVEL[version]].sort());
    for (const key of EXPECTED_TOP_LEVEL[version]) {
      if (key !== 'content' && key !== 'type') expect(redacted[key]).toBe(`value of ${key}`);
    }
    expect(redacted).not.toHaveProperty('unsigned');
    expect(redacted).not.toHaveProperty('redacts');
  });

  it.each(CONTENT_TABLE)('content of %s', (type, expected) => {
    const redacted = redact(fullEvent(type), version);
    const content = redacted.content as Record<string, unknown>;
    expect(Object.keys(content).sort()).toEqual([...expected(v)].sort());
    for (const key of Object.keys(content)) expect(content[key]).toEqual(RICH_CONTENT[key as keyof typeof RICH_CONTENT]);
  });
});

describe('redaction: m.room.member third_party_invite', () => {
  const member = (thirdPartyInvite: unknown) => ({
    type: 'm.room.member',
    content: { membership: 'invite', third_party_invite: thirdPartyInvite },
  });
  const signed = { mxid: '@u:x', token: 't', signatures: { x: { 'ed25519:1': 's' } } };

  it('v11+: survives reduced to its signed key', () => {
    for (const version of ['11', '12']) {
      const content = redact(member({ display_name: 'Alice', signed }), version).content;
      expect(content).toEqual({ membership: 'invite', third_party_invite: { signed } });
    }
  });

  it('v11+: an invite object without signed becomes {}; a non-object one is dropped', () => {
    expect(redact(member({ display_name: 'Alice' }), '11').content).toEqual({ membership: 'invite', third_party_invite: {} });
    expect(redact(member('not an object'), '11').content).toEqual({ membership: 'invite' });
    expect(redact(member(['signed']), '11').content).toEqual({ membership: 'invite' });
    expect(redact({ type: 'm.room.member', content: { membership: 'join' } }, '11').content).toEqual({ membership: 'join' });
  });

  it('before v11: dropped entirely', () => {
    for (const version of ['1', '6', '9', '10']) {
      expect(redact(member({ display_name: 'Alice', signed }), version).content).toEqual({ membership: 'invite' });
    }
  });
});

describe('redaction: odd input', () => {
  it('gives content {} when content is missing, not an object, or the type unknown', () => {
    expect(redact({ type: 'm.room.member' }, '10')).toEqual({ type: 'm.room.member', content: {} });
    expect(redact({ type: 'm.room.member', content: 'x' }, '10').content).toEqual({});
    expect(redact({ type: 'm.room.member', content: [1] }, '10').content).toEqual({});
    expect(redact({ type: 'm.room.member', content: null }, '10').content).toEqual({});
    expect(redact({ type: 5, content: { membership: 'join' } }, '10').content).toEqual({});
  });

  it('matches event types exactly and ignores inherited properties', () => {
    expect(redact({ type: 'M.ROOM.MEMBER', content: { membership: 'join' } }, '10').content).toEqual({});
    expect(redact({ type: 'toString', content: { membership: 'join' } }, '10').content).toEqual({});
    const inherited = Object.create({ origin: 'x', membership: 'join' }) as Record<string, unknown>;
    inherited.type = 'm.room.member';
    expect(redact(inherited, '1')).toEqual({ type: 'm.room.member', content: {} });
  });

  it('keeps a "__proto__" key of v11 create content as data', () => {
    const create = JSON.parse('{"type":"m.room.create","content":{"__proto__":{"x":1},"room_version":"11"}}') as object;
    expect(canonicalJson(redact(create, '11'))).toBe('{"content":{"__proto__":{"x":1},"room_version":"11"},"type":"m.room.create"}');
  });

  it('does not modify its input', () => {
    const event = fullEvent('m.room.power_levels');
    const copy = structuredClone(event);
    redact(event, '11');
    expect(event).toEqual(copy);
  });

  it('throws UnknownRoomVersionError for an unknown room version', () => {
    expect(() => redact({}, '13')).toThrow(UnknownRoomVersionError);
    expect(() => redact({}, '__proto__')).toThrow(UnknownRoomVersionError);
    expect(() => redact({}, '')).toThrow(UnknownRoomVersionError);
  });
});

describe('redaction properties', () => {
  const type = fc.constantFrom(...CONTENT_TABLE.map(([t]) => t));
  const event = fc.record({ type, content: canonicalObject, extra: canonicalObject }).map(({ type: t, content, extra }) => ({
    ...extra,
    type: t,
    content,
  }));

  it('is idempotent and only ever removes keys', () => {
    fc.assert(
      fc.property(event, fc.constantFrom(...ALL_VERSIONS), (e, version) => {
        const once = redact(e, version);
        expect(redact(once, version)).toEqual(once);
        for (const key of Object.keys(once)) {
          if (key !== 'content') expect(once[key]).toBe((e as Record<string, unknown>)[key]);
        }
        for (const [key, value] of Object.entries(once.content as object)) {
          if (key !== 'third_party_invite') expect(value).toBe((e.content as Record<string, unknown>)[key]);
        }
      }),
    );
  });
});
