// State resolution v2 (rooms/v2 "State resolution") on small forked rooms. Each scenario's
// expectation is derived by hand from the algorithm; comments give the deciding step.
import { describe, expect, it } from 'vitest';
import { standardRoom, type RoomBuilder, type RoomEvent } from '../../helpers/room-builder.ts';
import { ALICE, BOB, CHARLIE, EVELYN, ZARA, expectAllAuthorised, get, resolveAt } from './scenario.ts';

const V2_VERSIONS = ['2', '6', '10', '11'];

/** create, alice joins, PL (alice 100), public join rules; bob, charlie and zara join. */
function startingRoom(version: string): RoomBuilder {
  const room = standardRoom(version, ALICE, { joinRule: 'public' });
  room.join(BOB);
  room.join(CHARLIE);
  room.join(ZARA);
  return room;
}

describe.each(V2_VERSIONS)('state resolution v2, room version %s', (version) => {
  it('ban vs power levels: a demotion beats a concurrent ban by the demoted user', () => {
    const room = startingRoom(version);
    const pa = room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50 } });
    const pb = room.powerLevels(ALICE, { users: { [ALICE]: 100 } });
    const mb = room.send({ type: 'm.room.member', sender: BOB, state_key: CHARLIE, content: { membership: 'ban' }, prevEvents: [pa.event_id] });
    expectAllAuthorised(room);

    // Power ordering puts alice's PB (100) before bob's ban (50); against PB bob has 0.
    for (const heads of [[pb.event_id, mb.event_id], [mb.event_id, pb.event_id]]) {
      const state = resolveAt(room, heads);
      expect(get(state, 'm.room.power_levels')).toBe(pb.event_id);
      expect(get(state, 'm.room.member', CHARLIE)).toBe(room.stateAfter(pa.event_id).find((e) => e.state_key === CHARLIE)?.event_id);
    }
  });

  it('topic reset: a topic by a user banned on the other branch falls back to the earlier topic', () => {
    const room = startingRoom(version);
    const t1 = room.state(ALICE, 'm.room.topic', '', { topic: 'T1' });
    const pa = room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50 } });
    const t2 = room.state(BOB, 'm.room.topic', '', { topic: 'T2' });
    const mb = room.send({ type: 'm.room.member', sender: ALICE, state_key: BOB, content: { membership: 'ban' }, prevEvents: [pa.event_id] });
    expectAllAuthorised(room);

    // The ban is a power event (step 2); T1 (mainline position 1) then T2 (position 0) are
    // checked in step 4, and T2 fails because bob is banned.
    const state = resolveAt(room, [t2.event_id, mb.event_id]);
    expect(get(state, 'm.room.topic')).toBe(t1.event_id);
    expect(get(state, 'm.room.member', BOB)).toBe(mb.event_id);
  });

  it('join-rule evasion: a join concurrent with a switch to invite-only is rejected', () => {
    const room = startingRoom(version);
    const zaraJoin = room.head;
    const jr = room.joinRules(ALICE, 'invite');
    const me = room.send({ type: 'm.room.member', sender: EVELYN, state_key: EVELYN, content: { membership: 'join' }, prevEvents: [zaraJoin] });
    expectAllAuthorised(room);

    const state = resolveAt(room, [jr.event_id, me.event_id]);
    expect(get(state, 'm.room.join_rules')).toBe(jr.event_id);
    expect(get(state, 'm.room.member', EVELYN)).toBeUndefined();
  });

  it('offtopic power levels: a demoted user’s power levels and their protégé’s topic both fail', () => {
    const room = startingRoom(version);
    const pa = room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50 } });
    room.powerLevels(BOB, { users: { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 } });
    const topic = room.state(CHARLIE, 'm.room.topic', '', { topic: 'offtopic' });
    const pc = room.send({ type: 'm.room.power_levels', sender: ALICE, state_key: '', content: { users: { [ALICE]: 100, [BOB]: 0 } }, prevEvents: [pa.event_id] });
    expectAllAuthorised(room);

    // PC (alice 100) sorts before PB (bob 50); against PC bob has 0 and cannot grant 50.
    // Charlie's topic then needs state_default 50 against PC, where charlie has 0.
    const state = resolveAt(room, [topic.event_id, pc.event_id]);
    expect(get(state, 'm.room.power_levels')).toBe(pc.event_id);
    expect(get(state, 'm.room.topic')).toBeUndefined();
  });

  it('topic basic: a topic from a user demoted concurrently loses to the admin’s topic', () => {
    const room = startingRoom(version);
    room.state(ALICE, 'm.room.topic', '', { topic: 'T1' });
    const pa1 = room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50 } });
    const t2 = room.state(ALICE, 'm.room.topic', '', { topic: 'T2' });
    const pa2 = room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 0 } });
    const t3 = room.send({ type: 'm.room.topic', sender: BOB, state_key: '', content: { topic: 'T3' }, prevEvents: [pa1.event_id] });
    expectAllAuthorised(room);

    // T2 and T3 share mainline position 1 (PA1); T2 is older, so T3 is checked last and
    // fails against PA2.
    const state = resolveAt(room, [pa2.event_id, t3.event_id]);
    expect(get(state, 'm.room.power_levels')).toBe(pa2.event_id);
    expect(get(state, 'm.room.topic')).toBe(t2.event_id);
  });

  it('mainline ordering: a topic based on a later power levels event wins over a newer timestamp', () => {
    const room = startingRoom(version);
    const pa = room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50 } });
    const t1 = room.send({ type: 'm.room.topic', sender: ALICE, state_key: '', content: { topic: 'T1' }, extra: { origin_server_ts: 9e12 } });
    const pb = room.send({ type: 'm.room.power_levels', sender: ALICE, state_key: '', content: { users: { [ALICE]: 100, [BOB]: 60 } }, prevEvents: [pa.event_id] });
    const t2 = room.send({ type: 'm.room.topic', sender: BOB, state_key: '', content: { topic: 'T2' }, extra: { origin_server_ts: 1 } });
    expectAllAuthorised(room);

    // Mainline of PB is [PB, PA, …]: T1 cites PA (position 1), T2 cites PB (position 0);
    // the greater position sorts first, so T2 is applied last despite its tiny timestamp.
    const state = resolveAt(room, [t1.event_id, t2.event_id]);
    expect(get(state, 'm.room.power_levels')).toBe(pb.event_id);
    expect(get(state, 'm.room.topic')).toBe(t2.event_id);
  });

  it('mainline ordering: same position falls back to origin_server_ts, then event_id', () => {
    const room = startingRoom(version);
    const base = room.head;
    const early = room.send({ type: 'm.room.name', sender: ALICE, state_key: '', content: { name: 'early' }, prevEvents: [base], extra: { origin_server_ts: 10 } });
    const late = room.send({ type: 'm.room.name', sender: ALICE, state_key: '', content: { name: 'late' }, prevEvents: [base], extra: { origin_server_ts: 20 } });
    expect(get(resolveAt(room, [late.event_id, early.event_id]), 'm.room.name')).toBe(late.event_id);

    const x = room.send({ type: 'm.room.name', sender: ALICE, state_key: '', content: { name: 'x' }, prevEvents: [base], extra: { origin_server_ts: 30 } });
    const y = room.send({ type: 'm.room.name', sender: ALICE, state_key: '', content: { name: 'y' }, prevEvents: [base], extra: { origin_server_ts: 30 } });
    const larger = x.event_id > y.event_id ? x : y;
    expect(get(resolveAt(room, [x.event_id, y.event_id]), 'm.room.name')).toBe(larger.event_id);
  });
});

describe.each(V2_VERSIONS)('reverse topological power ordering tie-breaks, room version %s', (version) => {
  /** Bob and charlie at 50 (enough for join rules at state_default 50). Each then sends a
   * state event citing their join, so the joins are in every branch's auth chain and the
   * conflicted events below are the only ones ordered. */
  function roomWithModerators(): RoomBuilder {
    const room = startingRoom(version);
    room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 } });
    room.state(BOB, 'org.example.marker', BOB, {});
    room.state(CHARLIE, 'org.example.marker', CHARLIE, {});
    return room;
  }

  it('equal power: the earlier origin_server_ts is applied first, so the later one wins', () => {
    const room = roomWithModerators();
    const base = room.head;
    const byBob = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base], extra: { origin_server_ts: 200 } });
    const byCharlie = room.send({ type: 'm.room.join_rules', sender: CHARLIE, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
    expectAllAuthorised(room);
    expect(get(resolveAt(room, [byBob.event_id, byCharlie.event_id]), 'm.room.join_rules')).toBe(byBob.event_id);
  });

  it('equal power and timestamp: the smaller event_id is applied first', () => {
    const room = roomWithModerators();
    const base = room.head;
    const a = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
    const b = room.send({ type: 'm.room.join_rules', sender: CHARLIE, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
    const larger = a.event_id > b.event_id ? a : b;
    expect(get(resolveAt(room, [a.event_id, b.event_id]), 'm.room.join_rules')).toBe(larger.event_id);
  });

  it('greater sender power sorts first, so an allowed event of a weaker sender is applied last', () => {
    const room = roomWithModerators();
    const base = room.head;
    const byAlice = room.send({ type: 'm.room.join_rules', sender: ALICE, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base], extra: { origin_server_ts: 900 } });
    const byBob = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
    expect(get(resolveAt(room, [byAlice.event_id, byBob.event_id]), 'm.room.join_rules')).toBe(byBob.event_id);
  });

  it('power is judged by each event’s own auth events, not the resolved state', () => {
    const room = roomWithModerators();
    const base = room.head;
    // Bob is promoted to 100 on one branch and sends from there; charlie stays at 50.
    room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 100, [CHARLIE]: 50 } });
    const byBob = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'invite' }, extra: { origin_server_ts: 9e12 } });
    const byCharlie = room.send({ type: 'm.room.join_rules', sender: CHARLIE, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 1 } });
    expectAllAuthorised(room);
    // Bob (100 by his auth events) sorts before charlie (50) despite his later timestamp.
    expect(get(resolveAt(room, [byBob.event_id, byCharlie.event_id]), 'm.room.join_rules')).toBe(byCharlie.event_id);
  });

  it('auth-difference events take part in the ordering: Kahn interleaves them by power', () => {
    const room = startingRoom(version);
    const bobJoin = room.events.find((e) => e.state_key === BOB) as RoomEvent;
    const charlieJoin = room.events.find((e) => e.state_key === CHARLIE) as RoomEvent;
    room.powerLevels(ALICE, { users: { [ALICE]: 100, [BOB]: 50, [CHARLIE]: 50 } });
    const base = room.head;
    const byBob = room.send({ type: 'm.room.join_rules', sender: BOB, state_key: '', content: { join_rule: 'invite' }, prevEvents: [base], extra: { origin_server_ts: 200 } });
    const byCharlie = room.send({ type: 'm.room.join_rules', sender: CHARLIE, state_key: '', content: { join_rule: 'knock' }, prevEvents: [base], extra: { origin_server_ts: 100 } });
    expectAllAuthorised(room);
    // Each join is cited only on its own branch, so both are in the auth difference. Ready
    // at first: the two joins (power 0); bob's is older. Then bob's join rules (power 50)
    // beat charlie's join (0), and charlie's join rules come last and win, although the
    // timestamps alone would have bob's applied last.
    expect(bobJoin.origin_server_ts).toBeLessThan(charlieJoin.origin_server_ts);
    expect(get(resolveAt(room, [byBob.event_id, byCharlie.event_id]), 'm.room.join_rules')).toBe(byCharlie.event_id);
  });
});
