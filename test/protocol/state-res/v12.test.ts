// Room version 12's state resolution (rooms/v12 "State resolution"): creators have
// infinite power, the iterative auth checks of step 2 start from an empty state map, and
// the conflicted state subgraph joins the full conflicted set.
import { describe, expect, it } from 'vitest';
import { EventIndex } from '../../../src/protocol/state-res/event-index.ts';
import { conflictedStateSubgraph } from '../../../src/protocol/state-res/conflicted-subgraph.ts';
import { tryResolveState } from '../../../src/protocol/state-res/index.ts';
import { standardRoom, stateKey, type RoomBuilder, type RoomEvent } from '../../helpers/room-builder.ts';
import { ALICE, BOB, CHARLIE, ZARA, eventsOf, expectAllAuthorised, get, resolveAt, toTuples } from './scenario.ts';

/** Alice creates; bob, charlie and zara join a public room; each sends a marker state event
 * so their joins are in every later branch's auth chain. */
function startingRoom(version: string, createContent: Record<string, unknown> = {}): RoomBuilder {
  const room = standardRoom(version, ALICE, { joinRule: 'public', createContent });
  for (const user of [BOB, CHARLIE, ZARA]) room.join(user);
  return room;
}

function markers(room: RoomBuilder, users: string[]): void {
  for (const user of users) room.state(user, 'org.example.marker', user, {});
}

describe('room version 12: creators in the power ordering', () => {
  it('the creator outranks a user at the highest numeric level (unlike v11, where timestamps decide)', () => {
    for (const [version, winner] of [['12', 'bob'], ['11', 'alice']] as const) {
      const room = startingRoom(version);
      const users = version === '12' ? { [BOB]: 100 } : { [ALICE]: 100, [BOB]: 100 };
      room.powerLevels(ALICE, { users });
      markers(room, [ALICE, BOB]);
      const base = room.head;
      const byAlice = room.send({ type: 'm.room.join_rules', sender: ALICE, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base], extra: { origin_server_ts: 900 } });
      const byBob = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
      expectAllAuthorised(room);
      // v12: alice (infinite) sorts first, bob's is applied last. v11: equal power, bob's is
      // older, so alice's is applied last.
      const expected = winner === 'bob' ? byBob : byAlice;
      expect(get(resolveAt(room, [byAlice.event_id, byBob.event_id]), 'm.room.join_rules'), `room version ${version}`).toBe(expected.event_id);
    }
  });

  it('additional_creators are infinitely powerful too', () => {
    const room = startingRoom('12', { additional_creators: [CHARLIE] });
    room.powerLevels(ALICE, { users: { [BOB]: 100 } });
    markers(room, [BOB, CHARLIE]);
    const base = room.head;
    const byCharlie = room.send({ type: 'm.room.join_rules', sender: CHARLIE, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base], extra: { origin_server_ts: 900 } });
    const byBob = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
    expectAllAuthorised(room);
    expect(get(resolveAt(room, [byCharlie.event_id, byBob.event_id]), 'm.room.join_rules')).toBe(byBob.event_id);
  });

  it('a creator’s ban of a 100-level user beats that user’s concurrent power levels', () => {
    const room = startingRoom('12');
    room.powerLevels(ALICE, { users: { [BOB]: 100 } });
    markers(room, [BOB]);
    const base = room.head;
    const ban = room.send({ type: 'm.room.member', sender: ALICE, state_key: BOB, content: { membership: 'ban' }, prevEvents: [base] });
    const byBob = room.send({ type: 'm.room.power_levels', sender: BOB, state_key: '', content: { users: { [BOB]: 100, [ZARA]: 100 } }, prevEvents: [base] });
    expectAllAuthorised(room);
    const state = resolveAt(room, [byBob.event_id, ban.event_id]);
    expect(get(state, 'm.room.member', BOB)).toBe(ban.event_id);
    expect(get(state, 'm.room.power_levels')).not.toBe(byBob.event_id);
  });
});

describe('room version 12: iterative auth checks start from an empty state map', () => {
  // State sets that disagree only about a topic bob sent while he had power 50; both hold
  // the later power levels that demote him. v2 checks the topic against the unconflicted
  // power levels (bob: 0) and drops it; v12 starts empty, so the topic is checked against
  // its own auth events (bob: 50) and kept — the unconflicted power levels are only merged
  // back in step 5.
  for (const [version, keepsTopic] of [['11', false], ['12', true]] as const) {
    it(`room version ${version} ${keepsTopic ? 'keeps' : 'drops'} the topic`, () => {
      const room = startingRoom(version);
      const promoted = room.powerLevels(ALICE, version === '12' ? { users: { [BOB]: 50 } } : { users: { [ALICE]: 100, [BOB]: 50 } });
      const topic = room.state(BOB, 'm.room.topic', '', { topic: 'bob' });
      const demoted = room.send({
        type: 'm.room.power_levels',
        sender: ALICE,
        state_key: '',
        content: version === '12' ? { users: {} } : { users: { [ALICE]: 100 } },
        prevEvents: [promoted.event_id],
      });
      expectAllAuthorised(room);
      const withoutTopic = toTuples(room.stateAfter(demoted.event_id));
      const withTopic = [...withoutTopic, ['m.room.topic', '', topic.event_id] as [string, string, string]];
      const result = tryResolveState(version, [withTopic, withoutTopic], eventsOf(room));
      expect(result.ok).toBe(true);
      const state = new Map(result.ok ? result.state.map(([t, k, id]) => [stateKey(t, k), id]) : []);
      expect(get(state, 'm.room.topic')).toBe(keepsTopic ? topic.event_id : undefined);
      expect(get(state, 'm.room.power_levels')).toBe(demoted.event_id);
    });
  }
});

/** Plain events with only what the subgraph walk reads. */
function graph(edges: Record<string, string[]>): EventIndex {
  const events: Record<string, object> = {};
  for (const [id, authEvents] of Object.entries(edges)) {
    events[id] = { type: 'm.room.member', state_key: id, sender: '@a:x', origin_server_ts: 0, content: {}, auth_events: authEvents };
  }
  return new EventIndex(events);
}

describe('room version 12: conflicted state subgraph', () => {
  it('is every event on an auth path between two conflicted events, endpoints included', () => {
    // root ← c1 ← m1 ← m2 ← c2 ← top;   c1 ← side (a dead end);   root ← c3 (no path to c1/c2)
    const index = graph({ root: [], c1: ['root'], m1: ['c1'], m2: ['m1'], c2: ['m2'], top: ['c2'], side: ['c1'], c3: ['root'] });
    const subgraph = conflictedStateSubgraph(index, new Set(['c1', 'c2', 'c3']));
    expect([...subgraph].sort()).toEqual(['c1', 'c2', 'c3', 'm1', 'm2']);
  });

  it('takes every branch of a diamond between two conflicted events', () => {
    const index = graph({ c1: [], l: ['c1'], r: ['c1'], below: [], c2: ['l', 'r', 'below'] });
    expect([...conflictedStateSubgraph(index, new Set(['c1', 'c2']))].sort()).toEqual(['c1', 'c2', 'l', 'r']);
  });

  it('a chain of conflicted events includes everything in between', () => {
    const index = graph({ a: [], x: ['a'], b: ['x'], y: ['b'], c: ['y'], z: ['c'] });
    expect([...conflictedStateSubgraph(index, new Set(['a', 'c']))].sort()).toEqual(['a', 'b', 'c', 'x', 'y']);
  });

  it('includes a superseded membership between conflicted events, which v2 leaves out', () => {
    // P1 gives bob 50; zara joins (zaraJoin cites P1). Branch 1: bob bans zara, then alice
    // demotes bob (Px). Branch 2: zara changes her display name (cites zaraJoin and P1).
    // zaraJoin lies on the path rename → zaraJoin → P1 and is in both auth chains, so only
    // the subgraph brings it into the full conflicted set.
    const room = standardRoom('12', ALICE, { joinRule: 'public' });
    room.join(BOB);
    const p1 = room.powerLevels(ALICE, { users: { [BOB]: 50 } });
    const zaraJoin = room.join(ZARA);
    const base = room.head;
    room.send({ type: 'm.room.member', sender: BOB, state_key: ZARA, content: { membership: 'ban' } });
    const px = room.powerLevels(ALICE, { users: {} });
    const rename = room.send({ type: 'm.room.member', sender: ZARA, state_key: ZARA, content: { membership: 'join', displayname: 'Z' }, prevEvents: [base] });
    expectAllAuthorised(room);

    const events = eventsOf(room);
    const conflicted = new Set<string>();
    const [s1, s2] = [room.stateAfter(px.event_id), room.stateAfter(rename.event_id)];
    const inS2 = new Set(s2.map((e: RoomEvent) => e.event_id));
    const inS1 = new Set(s1.map((e: RoomEvent) => e.event_id));
    for (const e of s1) if (!inS2.has(e.event_id)) conflicted.add(e.event_id);
    for (const e of s2) if (!inS1.has(e.event_id)) conflicted.add(e.event_id);
    const subgraph = conflictedStateSubgraph(new EventIndex(events), conflicted);
    expect(subgraph.has(zaraJoin.event_id)).toBe(true);
    expect(subgraph.has(p1.event_id)).toBe(true);

    // Step 2 orders P1, bob's and zara's joins, Px (alice, infinite) before the ban (bob,
    // 50); the ban fails against Px. The rename then passes against zara's join.
    const state = resolveAt(room, [px.event_id, rename.event_id]);
    expect(get(state, 'm.room.power_levels')).toBe(px.event_id);
    expect(get(state, 'm.room.member', ZARA)).toBe(rename.event_id);
  });
});
