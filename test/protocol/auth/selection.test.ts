// Auth events selection and the rules about an event's own auth_events list.
import { describe, expect, it } from 'vitest';
import { authEventTypes, checkAuthEventsList, selectAuthEventIds } from '../../../src/protocol/auth/index.ts';
import { ALICE, ALL, BOB, CAROL, from, member, room, upTo, isV12 } from './table.ts';
import type { RoomBuilder, RoomEvent } from '../../helpers/room-builder.ts';

const CREATE: [string, string] = ['m.room.create', ''];
const PL: [string, string] = ['m.room.power_levels', ''];
const JR: [string, string] = ['m.room.join_rules', ''];
const mem = (user: string): [string, string] => ['m.room.member', user];
const withCreate = (v: string, pairs: Array<[string, string]>) => (isV12(v) ? pairs : [CREATE, ...pairs]);

describe('authEventTypes', () => {
  it.each(ALL)('v%s: m.room.create cites nothing', (v) => {
    expect(authEventTypes({ type: 'm.room.create', state_key: '', sender: ALICE, content: {} }, v)).toEqual([]);
  });
  it.each(ALL)('v%s: a message cites create (not v12), power levels and the sender', (v) => {
    expect(authEventTypes({ type: 'm.room.message', sender: BOB, content: {} }, v)).toEqual(withCreate(v, [PL, mem(BOB)]));
  });
  it.each(ALL)('v%s: a state event cites the same', (v) => {
    expect(authEventTypes({ type: 'm.room.topic', state_key: '', sender: BOB, content: {} }, v)).toEqual(withCreate(v, [PL, mem(BOB)]));
  });
  it.each(ALL)('v%s: join cites the target (once, being the sender) and the join rules', (v) => {
    expect(authEventTypes(member(BOB, BOB, 'join'), v)).toEqual(withCreate(v, [PL, mem(BOB), JR]));
  });
  it.each(ALL)('v%s: invite cites sender, target and join rules', (v) => {
    expect(authEventTypes(member(ALICE, BOB, 'invite'), v)).toEqual(withCreate(v, [PL, mem(ALICE), mem(BOB), JR]));
  });
  it.each(ALL)('v%s: knock cites the join rules (in every version; the rules reject knocks before v7)', (v) => {
    expect(authEventTypes(member(BOB, BOB, 'knock'), v)).toEqual(withCreate(v, [PL, mem(BOB), JR]));
  });
  it.each(ALL)('v%s: leave and ban do not cite the join rules', (v) => {
    expect(authEventTypes(member(ALICE, BOB, 'leave'), v)).toEqual(withCreate(v, [PL, mem(ALICE), mem(BOB)]));
    expect(authEventTypes(member(ALICE, BOB, 'ban'), v)).toEqual(withCreate(v, [PL, mem(ALICE), mem(BOB)]));
  });
  it.each(ALL)('v%s: a third-party invite cites the m.room.third_party_invite of its token', (v) => {
    const event = member(ALICE, BOB, 'invite', { third_party_invite: { signed: { mxid: BOB, token: 'tok', signatures: {} } } });
    expect(authEventTypes(event, v)).toEqual(withCreate(v, [PL, mem(ALICE), mem(BOB), JR, ['m.room.third_party_invite', 'tok']]));
  });
  it.each(ALL)('v%s: a third-party invite without a string token cites no invite', (v) => {
    for (const tpi of [null, {}, { signed: null }, { signed: { token: 5 } }]) {
      expect(authEventTypes(member(ALICE, BOB, 'invite', { third_party_invite: tpi }), v)).toEqual(withCreate(v, [PL, mem(ALICE), mem(BOB), JR]));
    }
  });
  it.each(from(8))('v%s: a restricted join cites the authorising user', (v) => {
    expect(authEventTypes(member(BOB, BOB, 'join', { join_authorised_via_users_server: CAROL }), v)).toEqual(withCreate(v, [PL, mem(BOB), JR, mem(CAROL)]));
  });
  it.each(upTo(7))('v%s: no restricted joins, so no authorising user', (v) => {
    expect(authEventTypes(member(BOB, BOB, 'join', { join_authorised_via_users_server: CAROL }), v)).toEqual(withCreate(v, [PL, mem(BOB), JR]));
  });
  it.each(from(8))('v%s: the authoriser is only cited for joins', (v) => {
    expect(authEventTypes(member(BOB, BOB, 'leave', { join_authorised_via_users_server: CAROL }), v)).toEqual(withCreate(v, [PL, mem(BOB)]));
  });
  it.each(from(8))('v%s: the authoriser being the sender is cited once', (v) => {
    expect(authEventTypes(member(BOB, BOB, 'join', { join_authorised_via_users_server: BOB }), v)).toEqual(withCreate(v, [PL, mem(BOB), JR]));
  });
  it.each(ALL)('v%s: malformed fields select nothing extra', (v) => {
    expect(authEventTypes({ type: 'm.room.member', sender: BOB, content: null }, v)).toEqual(withCreate(v, [PL, mem(BOB)]));
    expect(authEventTypes({ type: 'm.room.message', sender: 5 as never, content: {} }, v)).toEqual(withCreate(v, [PL]));
  });
  it('an unknown room version throws (callers validate versions first)', () => {
    expect(() => authEventTypes({ type: 'm.room.message', sender: BOB, content: {} }, '99')).toThrow(RangeError);
  });
});

describe('selectAuthEventIds', () => {
  it.each(ALL)('v%s: picks the IDs from state, skipping what the room lacks, without duplicates', (v) => {
    const state: Record<string, string> = { 'm.room.create|': '$c', 'm.room.power_levels|': '$pl', [`m.room.member|${ALICE}`]: '$a' };
    const lookup = (t: string, k: string) => state[`${t}|${k}`];
    expect(selectAuthEventIds(member(ALICE, BOB, 'invite'), lookup, v)).toEqual(isV12(v) ? ['$pl', '$a'] : ['$c', '$pl', '$a']);
    expect(selectAuthEventIds(member(ALICE, ALICE, 'join'), () => '$same', v)).toEqual(['$same']);
  });
});

/** A room with an extra power levels change, so two PL events exist. */
function twoPowerLevels(v: string): { r: RoomBuilder; old: RoomEvent; latest: RoomEvent } {
  const r = room(v, { joinRule: 'public' });
  const old = r.currentState().find((e) => e.type === 'm.room.power_levels')!;
  const latest = r.powerLevels(ALICE, { ...old.content, ban: 60 });
  r.join(BOB);
  return { r, old, latest };
}

const cite = (r: RoomBuilder, ids: string[], spec: Parameters<RoomBuilder['build']>[0]) => {
  const event = r.build({ ...spec, authEvents: ids });
  return { event, authEvents: ids.map((id) => r.get(id)) };
};
const msg = { type: 'm.room.message', sender: BOB, content: { body: 'x' } };
const idOf = (r: RoomBuilder, type: string, key = '') => r.currentState().find((e) => e.type === type && e.state_key === key)!.event_id;

describe('checkAuthEventsList', () => {
  it.each(ALL)('v%s: the selected auth events pass', (v) => {
    const { r } = twoPowerLevels(v);
    const event = r.build(msg);
    expect(checkAuthEventsList(event, r.authEventsOf(event), v)).toEqual({ allowed: true });
  });
  it.each(ALL)('v%s: 2.1 two entries for one (type, state_key)', (v) => {
    const { r, old, latest } = twoPowerLevels(v);
    const ids = [...(isV12(v) ? [] : [r.create.event_id]), old.event_id, latest.event_id, idOf(r, 'm.room.member', BOB)];
    const { event, authEvents } = cite(r, ids, msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/two entries/) });
  });
  it.each(ALL)('v%s: 2.2 an entry the selection does not allow (join rules for a message)', (v) => {
    const { r } = twoPowerLevels(v);
    const ids = [...r.build(msg).auth_events.map((x) => (typeof x === 'string' ? x : x[0])), idOf(r, 'm.room.join_rules')];
    const { event, authEvents } = cite(r, ids, msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/selection algorithm/) });
  });
  it.each(ALL)("v%s: 2.2 another user's membership for a message", (v) => {
    const { r } = twoPowerLevels(v);
    const ids = [...(isV12(v) ? [] : [r.create.event_id]), idOf(r, 'm.room.member', BOB), idOf(r, 'm.room.member', ALICE)];
    const { event, authEvents } = cite(r, ids, msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/selection algorithm/) });
  });
  it.each(from(12))('v%s: 3.2 the create event must not be cited', (v) => {
    const { r } = twoPowerLevels(v);
    const { event, authEvents } = cite(r, [r.create.event_id, idOf(r, 'm.room.power_levels'), idOf(r, 'm.room.member', BOB)], msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/selection algorithm/) });
  });
  it.each(upTo(11))('v%s: 2.4 the create event must be cited', (v) => {
    const { r } = twoPowerLevels(v);
    const { event, authEvents } = cite(r, [idOf(r, 'm.room.power_levels'), idOf(r, 'm.room.member', BOB)], msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/no m.room.create/) });
  });
  it.each(ALL)('v%s: leaving out an optional entry (power levels) is not a list error', (v) => {
    const { r } = twoPowerLevels(v);
    const { event, authEvents } = cite(r, [...(isV12(v) ? [] : [r.create.event_id]), idOf(r, 'm.room.member', BOB)], msg);
    expect(checkAuthEventsList(event, authEvents, v)).toEqual({ allowed: true });
  });
  it.each(ALL)('v%s: 2.3 a rejected auth event', (v) => {
    const { r } = twoPowerLevels(v);
    const event = r.build(msg);
    const plId = idOf(r, 'm.room.power_levels');
    expect(checkAuthEventsList(event, r.authEventsOf(event), v, { isRejected: (id) => id === plId })).toMatchObject({ allowed: false, reason: expect.stringMatching(/was rejected/) });
  });
  it.each(ALL)('v%s: 2.5 an auth event from another room', (v) => {
    const { r } = twoPowerLevels(v);
    const event = r.build(msg);
    const authEvents = r.authEventsOf(event).map((e) => (e.type === 'm.room.power_levels' ? { ...e, room_id: '!other:a.example' } : e));
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/another room/) });
  });
  it.each(ALL)('v%s: the supplied events must be exactly the cited ones', (v) => {
    const { r } = twoPowerLevels(v);
    const event = r.build(msg);
    const authEvents = r.authEventsOf(event);
    expect(checkAuthEventsList(event, authEvents.slice(1), v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/not supplied/) });
    expect(checkAuthEventsList(event, [...authEvents, r.get(idOf(r, 'm.room.join_rules'))], v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/not cited/) });
    expect(checkAuthEventsList(event, authEvents.map(({ event_id: _id, ...rest }) => rest), v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/no event_id/) });
  });
  it.each(ALL)('v%s: an event cited twice', (v) => {
    const { r } = twoPowerLevels(v);
    const ids = r.build(msg).auth_events.map((x) => (typeof x === 'string' ? x : x[0]));
    const { event, authEvents } = cite(r, [...ids, ids[0]!], msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/twice/) });
  });
  it.each(ALL)('v%s: malformed auth_events', (v) => {
    const { r } = twoPowerLevels(v);
    for (const bad of [null, 'x', [5], [[5, {}]], {}]) {
      const event = { ...r.build(msg), auth_events: bad };
      expect(checkAuthEventsList(event, [], v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/malformed/) });
    }
  });
  it.each(ALL)('v%s: a cited message event is not state', (v) => {
    const { r } = twoPowerLevels(v);
    const m = r.message(BOB, 'hello');
    const { event, authEvents } = cite(r, [...r.build(msg).auth_events.map((x) => (typeof x === 'string' ? x : x[0])), m.event_id], msg);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/not a state event/) });
  });
  it.each(ALL)('v%s: m.room.create is decided by rule 1 alone', (v) => {
    const { r } = twoPowerLevels(v);
    expect(checkAuthEventsList({ ...r.create, auth_events: ['$junk'] }, [], v)).toEqual({ allowed: true });
  });
  it.each(ALL)('v%s: an invite may cite the target and the third-party invite of its token, not another', (v) => {
    const r = room(v);
    const tpi = r.state(ALICE, 'm.room.third_party_invite', 'tok', { display_name: 'x' });
    const other = r.state(ALICE, 'm.room.third_party_invite', 'other', { display_name: 'y' });
    const spec = member(ALICE, BOB, 'invite', { third_party_invite: { signed: { mxid: BOB, token: 'tok' } } });
    const good = r.build(spec);
    expect(r.authEventsOf(good).map((e) => e.event_id)).toContain(tpi.event_id);
    expect(checkAuthEventsList(good, r.authEventsOf(good), v)).toEqual({ allowed: true });
    const ids = [...good.auth_events.map((x) => (typeof x === 'string' ? x : x[0])).filter((id) => id !== tpi.event_id), other.event_id];
    const { event, authEvents } = cite(r, ids, spec);
    expect(checkAuthEventsList(event, authEvents, v)).toMatchObject({ allowed: false, reason: expect.stringMatching(/selection algorithm/) });
  });
  it.each(ALL)("v%s: restricted joins may cite the authoriser's membership from v8 only", (v) => {
    const r = room(v, { joinRule: 'public' });
    const carol = r.join(CAROL);
    const spec = member(BOB, BOB, 'join', { join_authorised_via_users_server: CAROL });
    const ids = [...r.build(member(BOB, BOB, 'join')).auth_events.map((x) => (typeof x === 'string' ? x : x[0])), carol.event_id];
    const { event, authEvents } = cite(r, ids, spec);
    expect(checkAuthEventsList(event, authEvents, v).allowed).toBe(Number(v) >= 8);
  });
  it('an unknown room version', () => {
    const r = room('10');
    expect(checkAuthEventsList(r.create, [], 'x')).toMatchObject({ allowed: false, reason: expect.stringMatching(/unknown room version/) });
  });
});
