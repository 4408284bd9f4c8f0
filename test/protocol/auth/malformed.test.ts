// Untrusted input never throws: malformed events and state yield { allowed: false } (or a
// well-defined reading), and a property test feeds arbitrary JSON through every entry point.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  authEventTypes,
  checkAuth,
  checkAuthUnguarded,
  checkAuthWithLookup,
  requiredSignatories,
  userPowerLevel,
  powerLevelRequiredFor,
  parsePowerLevels,
} from '../../../src/protocol/auth/index.ts';
import { checkAuthEventsListWithRules } from '../../../src/protocol/auth/auth-events-list.ts';
import { authRulesFor } from '../../../src/protocol/auth/rules.ts';
import { ALICE, ALL, BOB, from, room, upTo, isV12, bareRoom } from './table.ts';

const expectDenied = (result: { allowed: boolean; reason?: string }, reason: RegExp) => {
  expect(result.allowed).toBe(false);
  expect(result.reason).toMatch(reason);
};

describe('preconditions', () => {
  it.each(['13', '', 'v10', '1.0', ' 10', 'org.example.custom'])('an unknown room version %j is rejected', (version) => {
    const r = room('10');
    expectDenied(checkAuth(r.create, [], version), /unknown room version/);
    expectDenied(checkAuth(r.build({ type: 'm.room.message', sender: ALICE, content: {} }), r.currentState(), version), /unknown room version/);
  });

  it.each(ALL)('v%s: no create event in the auth state', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {} });
    expectDenied(checkAuth(event, r.stateFor(event).filter((e) => e.type !== 'm.room.create'), v), /no m.room.create/);
  });

  it.each(from(12))('v%s: room_id that is not the create event ID', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {}, extra: { room_id: '!other' } });
    const state = r.stateFor(event);
    expectDenied(checkAuthWithLookup(event, (t, k) => state.find((e) => e.type === t && e.state_key === k), v), /room_id is not the ID/);
    expectDenied(checkAuth(event, state, v), /another room/);
  });

  it.each(from(12))('v%s: a create event without event_id cannot vouch for the room ID', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {} });
    const state = r.stateFor(event).map((e) => (e.type === 'm.room.create' ? { ...e, event_id: undefined } : e));
    expectDenied(checkAuth(event, state, v), /room_id is not the ID/);
  });

  it.each(from(12))('v%s: a create event ID with the wrong sigil', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {} });
    const state = r.stateFor(event).map((e) => (e.type === 'm.room.create' ? { ...e, event_id: `!${e.event_id.slice(1)}` } : e));
    expectDenied(checkAuth(event, state, v), /room_id is not the ID/);
  });

  it.each(upTo(11))('v%s: the create event of another room', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {}, extra: { room_id: '!elsewhere:a.example' } });
    expectDenied(checkAuthWithLookup(event, (t, k) => r.stateFor(event).find((e) => e.type === t && e.state_key === k), v), /another room/);
    expectDenied(checkAuth(event, r.stateFor(event), v), /another room/);
  });

  it.each(ALL)('v%s: two different events for one (type, state_key) in the auth state', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {} });
    const state = r.stateFor(event);
    const pl = state.find((e) => e.type === 'm.room.power_levels')!;
    expectDenied(checkAuth(event, [...state, { ...pl, event_id: '$another' }], v), /two events/);
    expect(checkAuth(event, [...state, pl], v)).toEqual({ allowed: true });
  });

  it.each(ALL)('v%s: non-state entries in the auth state are ignored', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {} });
    const junk = [{ type: 'm.room.message', room_id: r.roomId, content: {} }, { type: 5, state_key: '', room_id: r.roomId }] as object[];
    expect(checkAuth(event, [...r.stateFor(event), ...junk], v)).toEqual({ allowed: true });
  });

  it.each(ALL)('v%s: a lookup that throws is treated as finding nothing', (v) => {
    const r = room(v);
    const event = r.build({ type: 'm.room.message', sender: ALICE, content: {} });
    expectDenied(checkAuthWithLookup(event, () => { throw new Error('boom'); }, v), /no m.room.create/);
  });
});

describe('malformed events', () => {
  const cases: Array<[string, (e: Record<string, unknown>) => unknown, RegExp]> = [
    ['null', () => null, /not an object/],
    ['an array', () => [], /not an object/],
    ['a string', () => 'event', /not an object/],
    ['content null', (e) => ({ ...e, content: null }), /content is not an object/],
    ['content an array', (e) => ({ ...e, content: [] }), /content is not an object/],
    ['content a string', (e) => ({ ...e, content: '{}' }), /content is not an object/],
    ['content missing', (e) => ({ ...e, content: undefined }), /content is not an object/],
    ['type a number', (e) => ({ ...e, type: 1 }), /type is not a string/],
    ['type missing', (e) => ({ ...e, type: undefined }), /type is not a string/],
    ['sender not a user ID', (e) => ({ ...e, sender: 'alice' }), /sender/],
    ['sender with an invalid server', (e) => ({ ...e, sender: '@alice:' }), /sender/],
    ['sender an object', (e) => ({ ...e, sender: { id: ALICE } }), /sender/],
    ['state_key a number', (e) => ({ ...e, state_key: 0 }), /state_key is not a string/],
    ['state_key null', (e) => ({ ...e, state_key: null }), /state_key is not a string/],
  ];
  for (const v of ALL) {
    it.each(cases)(`v${v}: %s is rejected`, (_name, change, reason) => {
      const r = room(v);
      const base = r.build({ type: 'm.room.topic', sender: ALICE, state_key: '', content: { topic: 't' } }) as unknown as Record<string, unknown>;
      expectDenied(checkAuth(change(base) as object, r.stateFor(base as never), v), reason);
    });
  }

  it.each(ALL)('v%s: auth state not a list', (v) => {
    const r = room(v);
    expectDenied(checkAuth(r.create, {} as never, v), /not a list/);
  });
});

describe('malformed state is read without throwing', () => {
  const withPowerContent = (v: string, content: unknown) => {
    const r = room(v, { joinRule: 'public' });
    r.join(BOB);
    r.state(ALICE, 'm.room.power_levels', '', content as Record<string, unknown>);
    return r;
  };
  it.each(ALL)('v%s: power levels content that is an array means all defaults', (v) => {
    const r = withPowerContent(v, []);
    const msg = r.build({ type: 'm.room.message', sender: BOB, content: {} });
    expect(checkAuth(msg, r.stateFor(msg), v).allowed).toBe(true);
    const topic = r.build({ type: 'm.room.topic', sender: BOB, state_key: '', content: {} });
    expect(checkAuth(topic, r.stateFor(topic), v).allowed).toBe(false);
    expect(userPowerLevel(BOB, r.currentState(), v)).toBe(0);
    expect(userPowerLevel(ALICE, r.currentState(), v)).toBe(isV12(v) ? Infinity : 0);
  });
  it.each(ALL)('v%s: users that is an array, events that is a string, absurd numbers', (v) => {
    const r = withPowerContent(v, { users: [BOB], events: 'x', events_default: 1e308, state_default: -1e308, ban: '9'.repeat(400) });
    const msg = r.build({ type: 'm.room.message', sender: BOB, content: {} });
    const expected = upTo(5).includes(v) ? false : true; // 1e308 is a (huge) level only where floats are levels… and integers beyond 2^53 only before v6
    expect(checkAuth(msg, r.stateFor(msg), v).allowed).toBe(expected);
    expect(powerLevelRequiredFor('m.room.topic', true, r.currentState(), v)).toBe(upTo(5).includes(v) ? -1e308 : 50);
    expect(parsePowerLevels(r.currentState().find((e) => e.type === 'm.room.power_levels')!.content, v).ban).toBe(50);
  });
  it.each(ALL)('v%s: a member event whose content is not an object is no membership', (v) => {
    const r = room(v, { joinRule: 'public' });
    r.join(BOB);
    const state = r.currentState().map((e) => (e.state_key === BOB ? { ...e, content: null } : e));
    const msg = r.build({ type: 'm.room.message', sender: BOB, content: {} });
    expect(checkAuth(msg, state as object[], v).allowed).toBe(false);
  });
  it.each(ALL)('v%s: a create event whose content is garbage', (v) => {
    const r = bareRoom(v);
    const join = r.build({ type: 'm.room.member', sender: ALICE, state_key: ALICE, content: { membership: 'join' } });
    const state = [{ ...r.create, content: 'garbage' }];
    const result = checkAuth(join, state, v);
    // v11+ take the creator from the sender; v1–v10 have no creator without content.
    expect(result.allowed).toBe(from(11).includes(v));
  });
});

// ---- Property tests ----------------------------------------------------------------

const TYPES = ['m.room.create', 'm.room.member', 'm.room.power_levels', 'm.room.join_rules', 'm.room.third_party_invite', 'm.room.redaction', 'm.room.aliases', 'm.room.message', 'm.room.topic'];
const USERS = [ALICE, BOB, '@x', 'alice', '', '@a:b:c'];
const KEYS = ['membership', 'users', 'events', 'notifications', 'users_default', 'ban', 'kick', 'invite', 'redact', 'state_default', 'events_default', 'join_rule', 'creator', 'additional_creators', 'room_version', 'm.federate', 'third_party_invite', 'join_authorised_via_users_server', 'public_key', 'public_keys', 'signed', '__proto__', 'constructor'];

const json = fc.jsonValue({ maxDepth: 3 });
const level = fc.oneof(fc.integer(), fc.double(), fc.constantFrom('50', ' +7 ', 'x', '1e400', '9'.repeat(30)), json);
const contentArb = fc.oneof(
  { weight: 4, arbitrary: fc.dictionary(fc.constantFrom(...KEYS), fc.oneof(json, level, fc.constantFrom('join', 'invite', 'leave', 'ban', 'knock', 'public', 'restricted', 'knock_restricted'), fc.dictionary(fc.oneof(fc.constantFrom(...USERS), fc.string()), level), fc.record({ signed: fc.record({ mxid: fc.constantFrom(...USERS), token: fc.constantFrom('t', ''), signatures: json }) }))) },
  { weight: 1, arbitrary: json },
);
const eventArb = fc.record(
  {
    event_id: fc.oneof(fc.constantFrom('$create', '$a:a.example', '$b'), json),
    room_id: fc.oneof(fc.constantFrom('!create', '!room:a.example'), json),
    type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...TYPES) }, { weight: 1, arbitrary: json }),
    state_key: fc.oneof(fc.constantFrom('', ...USERS, 't'), json),
    sender: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...USERS) }, { weight: 1, arbitrary: json }),
    content: contentArb,
    prev_events: fc.oneof(fc.constant([]), fc.constant(['$create']), fc.constant([['$create', {}]]), json),
    auth_events: fc.oneof(fc.constant([]), fc.array(fc.constantFrom('$create', '$a:a.example', '$b')), json),
    redacts: json,
  },
  { requiredKeys: [] },
);
const anyEvent = fc.oneof({ weight: 6, arbitrary: eventArb }, { weight: 1, arbitrary: fc.anything() });
const versionArb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ALL) }, { weight: 1, arbitrary: fc.string() });

describe('property: nothing throws on arbitrary input', () => {
  it('checkAuth (unguarded) returns a result for any event, state and version', () => {
    fc.assert(
      fc.property(anyEvent, fc.oneof(fc.array(anyEvent, { maxLength: 8 }), fc.anything()), versionArb, (event, state, version) => {
        const result = checkAuthUnguarded(event, state, version);
        expect(typeof result.allowed).toBe('boolean');
        if (!result.allowed) expect(typeof result.reason).toBe('string');
      }),
      { numRuns: 2000 },
    );
  }, 30_000);

  it('checkAuth (unguarded) on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue(), { maxLength: 4 }), fc.constantFrom(...ALL), (event, state, version) => {
        expect(typeof checkAuthUnguarded(event, state, version).allowed).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('checkAuthEventsList, authEventTypes, requiredSignatories and the power helpers', () => {
    fc.assert(
      fc.property(anyEvent, fc.array(anyEvent, { maxLength: 6 }), fc.constantFrom(...ALL), fc.constantFrom(...USERS), (event, state, version, user) => {
        const rules = authRulesFor(version)!;
        expect(typeof checkAuthEventsListWithRules(event, state, rules).allowed).toBe('boolean');
        const signers = requiredSignatories(event, version);
        expect(signers === undefined || Array.isArray(signers)).toBe(true);
        expect(Array.isArray(authEventTypes(event as never, version))).toBe(true);
        expect(typeof userPowerLevel(user, state as object[], version)).toBe('number');
        expect(typeof powerLevelRequiredFor('m.room.message', false, state as object[], version)).toBe('number');
      }),
      { numRuns: 2000 },
    );
  });

  it('checkAuth on mutations of real rooms never throws and never allows a non-object content', () => {
    const rooms = ALL.map((v) => {
      const r = room(v, { joinRule: 'public' });
      r.join(BOB);
      return { v, r, state: r.currentState() };
    });
    fc.assert(
      fc.property(fc.constantFrom(...rooms), fc.constantFrom('type', 'content', 'state_key', 'sender', 'prev_events', 'room_id', 'event_id'), json, ({ v, r, state }, field, value) => {
        const event = { ...r.build({ type: 'm.room.member', sender: BOB, state_key: BOB, content: { membership: 'join' } }), [field]: value };
        const result = checkAuthUnguarded(event, state, v);
        if (field === 'content' && (typeof value !== 'object' || value === null || Array.isArray(value))) expect(result.allowed).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
