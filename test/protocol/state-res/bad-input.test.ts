// Untrusted input never throws through tryResolveState: each kind of bad input is a clear
// `{ ok: false, reason }`, and resolveState turns it into a StateResInputError.
import { describe, expect, it } from 'vitest';
import { resolveState, StateResInputError, tryResolveState, type StateTuple } from '../../../src/protocol/state-res/index.ts';
import { standardRoom } from '../../helpers/room-builder.ts';
import { ALICE, BOB, eventsOf, toTuples } from './scenario.ts';

/** A forked room: two join rules changes by alice on top of the same head. */
function forked(version = '10') {
  const room = standardRoom(version, ALICE, { joinRule: 'public' });
  room.join(BOB);
  const base = room.head;
  const a = room.send({ type: 'm.room.join_rules', sender: ALICE, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base] });
  const b = room.send({ type: 'm.room.join_rules', sender: ALICE, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base] });
  const sets = [toTuples(room.stateAfter(a.event_id)), toTuples(room.stateAfter(b.event_id))];
  return { room, a, b, sets, events: eventsOf(room) as Record<string, Record<string, unknown>> };
}

function expectError(result: ReturnType<typeof tryResolveState>, pattern: RegExp): void {
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.reason).toMatch(pattern);
}

describe('tryResolveState on bad input', () => {
  it('rejects an unknown room version', () => {
    const { sets, events } = forked();
    expectError(tryResolveState('99', sets, events), /unknown room version/);
    expectError(tryResolveState(undefined as unknown as string, sets, events), /unknown room version/);
  });

  it('rejects a state set naming an event that is not supplied', () => {
    const { sets, events, a } = forked();
    delete events[a.event_id];
    expectError(tryResolveState('10', sets, events), /missing event/);
  });

  it('rejects a missing auth event rather than resolving on partial data', () => {
    const { sets, events, room } = forked();
    const powerLevels = room.events.find((e) => e.type === 'm.room.power_levels')?.event_id as string;
    delete events[powerLevels]; // cited by every later event, in no state set
    expectError(tryResolveState('10', sets, events), /missing event/);
  });

  it('does not treat inherited properties as events', () => {
    const { events } = forked();
    for (const id of ['__proto__', 'constructor', 'toString']) {
      expectError(tryResolveState('10', [[['m.room.topic', '', id]], []], events), /missing event/);
    }
  });

  it('rejects malformed state sets and entries', () => {
    const { sets, events } = forked();
    const bad: unknown[] = [
      'nope',
      [sets[0], 'nope'],
      [[['m.room.topic', '']]],
      [[['m.room.topic', '', 5]]],
      [[[null, '', '$x']]],
    ];
    for (const stateSets of bad) {
      const result = tryResolveState('10', stateSets as StateTuple[][], events);
      expect(result.ok, JSON.stringify(stateSets).slice(0, 80)).toBe(false);
    }
  });

  it('rejects an entry whose (type, state_key) is not its event’s', () => {
    const { sets, events, a } = forked();
    expectError(tryResolveState('10', [[['m.room.topic', '', a.event_id]], sets[1] as StateTuple[]], events), /not the \(m\.room\.topic/);
  });

  it('rejects two events for one key within a state set', () => {
    const { sets, events, a, b } = forked();
    const doubled = [...(sets[0] as StateTuple[]), ['m.room.join_rules', '', b.event_id] as StateTuple];
    expect(doubled.some(([, , id]) => id === a.event_id)).toBe(true);
    expectError(tryResolveState('10', [doubled, sets[1] as StateTuple[]], events), /two events/);
  });

  it('rejects malformed events', () => {
    const mutations: Array<[string, (e: Record<string, unknown>) => void, RegExp]> = [
      ['not an object', (e) => Object.assign(e, { __replace: 'x' }), /not an object/],
      ['type', (e) => (e.type = 5), /not the|type/],
      ['sender', (e) => (e.sender = ['@x:y']), /sender/],
      ['origin_server_ts', (e) => (e.origin_server_ts = 'soon'), /origin_server_ts/],
      ['content', (e) => (e.content = null), /content/],
      ['auth_events', (e) => (e.auth_events = 'x'), /auth_events/],
      ['auth_events entry', (e) => (e.auth_events = [{}]), /auth_events/],
      ['event_id', (e) => (e.event_id = '$other'), /event_id/],
      ['room_id', (e) => (e.room_id = 7), /room_id/],
    ];
    for (const [name, mutate, pattern] of mutations) {
      const { sets, events, a } = forked();
      const copy = structuredClone(events[a.event_id]) as Record<string, unknown>;
      mutate(copy);
      events[a.event_id] = copy.__replace !== undefined ? (copy.__replace as unknown as Record<string, unknown>) : copy;
      const result = tryResolveState('10', sets, events);
      expect(result.ok, name).toBe(false);
      if (!result.ok) expect(result.reason, name).toMatch(pattern);
    }
  });

  it('rejects events from different rooms', () => {
    const { sets, events, b } = forked();
    events[b.event_id] = { ...events[b.event_id], room_id: '!elsewhere:example.org' };
    expectError(tryResolveState('10', sets, events), /another room/);
  });

  it('rejects a cycle in auth_events', () => {
    const { sets, events, a, b } = forked();
    events[a.event_id] = { ...events[a.event_id], auth_events: [...(events[a.event_id]?.auth_events as string[]), b.event_id] };
    events[b.event_id] = { ...events[b.event_id], auth_events: [...(events[b.event_id]?.auth_events as string[]), a.event_id] };
    expectError(tryResolveState('10', sets, events), /cycle/);
  });

  it('rejects a cycle in the power levels mainline', () => {
    const room = standardRoom('10', ALICE, { joinRule: 'public' });
    room.join(BOB);
    const base = room.head;
    const t1 = room.send({ type: 'm.room.topic', sender: ALICE, state_key: '', content: { topic: '1' }, prevEvents: [base] });
    const t2 = room.send({ type: 'm.room.topic', sender: ALICE, state_key: '', content: { topic: '2' }, prevEvents: [base] });
    const events = eventsOf(room) as Record<string, Record<string, unknown>>;
    // The power levels event cites itself: the unconflicted PL's mainline never ends.
    const pl = room.events.find((e) => e.type === 'm.room.power_levels')?.event_id as string;
    events[pl] = { ...events[pl], auth_events: [...(events[pl]?.auth_events as string[]), pl] };
    const sets = [toTuples(room.stateAfter(t1.event_id)), toTuples(room.stateAfter(t2.event_id))];
    expectError(tryResolveState('10', sets, events), /cycle/);
  });

  it('rejects a v1 conflict whose events have no integer depth', () => {
    const { sets, events, a } = forked('1');
    events[a.event_id] = { ...events[a.event_id], depth: 'deep' };
    expectError(tryResolveState('1', sets, events), /depth/);
  });

  it('rejects a malformed rejectedEventIds option', () => {
    const { sets, events } = forked();
    expectError(tryResolveState('10', sets, events, { rejectedEventIds: 'x' as unknown as string[] }), /rejectedEventIds/);
  });

  it('rejects non-object events maps', () => {
    const { sets } = forked();
    expectError(tryResolveState('10', sets, null as unknown as Record<string, object>), /events/);
  });

  it('resolves no state sets to the empty state', () => {
    expect(tryResolveState('10', [], {})).toEqual({ ok: true, state: [] });
  });

  it('resolveState throws StateResInputError with the reason', () => {
    const { sets } = forked();
    expect(() => resolveState('10', sets, {})).toThrow(StateResInputError);
  });

  it('walks very long auth chains without recursion limits', () => {
    // A 50,000-event chain of topic changes each citing the previous one: deeper than any
    // call stack, and conflicted at both ends.
    const events: Record<string, object> = {};
    const base = { room_id: '!r:x', sender: '@a:x', content: {}, origin_server_ts: 1 };
    events.$create = { ...base, type: 'm.room.create', state_key: '', content: { creator: '@a:x' }, auth_events: [] };
    let prev = '$create';
    for (let i = 0; i < 50_000; i++) {
      const id = `$t${i}`;
      events[id] = { ...base, type: 'org.example.chain', state_key: '', auth_events: [prev], origin_server_ts: i };
      prev = id;
    }
    const result = tryResolveState('10', [[['m.room.create', '', '$create'], ['org.example.chain', '', '$t49999']], [['m.room.create', '', '$create'], ['org.example.chain', '', '$t0']]], events);
    expect(result.ok).toBe(true);
  });
});

describe('rejected events', () => {
  it('are not used as the auth-event fallback of the iterative auth checks', () => {
    // The v12 empty-start case (see v12.test.ts): bob's topic is kept on the strength of
    // its own auth events — unless the power levels event it cites was rejected.
    const room = standardRoom('12', ALICE, { joinRule: 'public' });
    room.join(BOB);
    const promoted = room.powerLevels(ALICE, { users: { [BOB]: 50 } });
    const topic = room.state(BOB, 'm.room.topic', '', { topic: 'bob' });
    const demoted = room.send({ type: 'm.room.power_levels', sender: ALICE, state_key: '', content: { users: {} }, prevEvents: [promoted.event_id] });
    const without = toTuples(room.stateAfter(demoted.event_id));
    const sets = [[...without, ['m.room.topic', '', topic.event_id] as StateTuple], without];
    const topicOf = (r: ReturnType<typeof tryResolveState>) => (r.ok ? r.state.find(([t]) => t === 'm.room.topic')?.[2] : 'error');
    expect(topicOf(tryResolveState('12', sets, eventsOf(room)))).toBe(topic.event_id);
    expect(topicOf(tryResolveState('12', sets, eventsOf(room), { rejectedEventIds: [promoted.event_id] }))).toBeUndefined();
  });
});
