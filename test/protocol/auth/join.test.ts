// Membership "join": the creator's first join, join rules public / invite / knock /
// restricted / knock_restricted, bans and sender mismatches.
import { ALICE, ALL, BOB, CAROL, DAVE, MALLORY, allow, bareRoom, denyRow, from, member, room, runTable, upTo, isV12, type Row } from './table.ts';

const joinOf = (user: string, extra: Record<string, unknown> = {}) => member(user, user, 'join', extra);
const via = (user: string) => ({ join_authorised_via_users_server: user });

/** A room with the given join rule where BOB is joined (invited first) with power 0. */
function withBob(v: string, joinRule: string, powerLevels?: Record<string, unknown>) {
  const r = room(v, { joinRule: 'invite', ...(powerLevels ? { powerLevels } : {}) });
  r.invite(ALICE, BOB);
  r.join(BOB);
  r.joinRules(ALICE, joinRule);
  return r;
}

const adminOnly = (v: string) => (isV12(v) ? {} : { [ALICE]: 100 });

const rows: Row[] = [
  // 4.3.1 (v1 5.2.1) the creator's first join.
  allow("3.1 the creator's join right after the create event", ALL, (v) => bareRoom(v).build(joinOf(ALICE))),
  denyRow("3.1 the creator's join after another event, with no invite", ALL, 'not invited', (v) => {
    const r = bareRoom(v);
    r.state(ALICE, 'm.room.topic', '', { topic: 'x' });
    return r.build(joinOf(ALICE));
  }),
  denyRow('3.1 someone else joining first', ALL, 'not invited', (v) => bareRoom(v).build(joinOf(BOB))),
  denyRow("3.1 the creator's join with two prev events", ALL, 'not invited', (v) => {
    const r = bareRoom(v);
    const topic = r.state(ALICE, 'm.room.topic', '', { topic: 'x' });
    return r.build({ ...joinOf(ALICE), prevEvents: [r.create.event_id, topic.event_id], stateBefore: r.stateFor(topic) });
  }),
  allow('3.1 (v1–v10) the creator is content.creator, not the sender', upTo(10), (v) => bareRoom(v, { createContent: { creator: BOB } }).build(joinOf(BOB))),
  denyRow('3.1 (v1–v10) the create sender is not the creator when content.creator differs', upTo(10), 'not invited', (v) =>
    bareRoom(v, { createContent: { creator: BOB } }).build(joinOf(ALICE)),
  ),
  allow('3.1 (v11+) the creator is the create sender; content.creator is ignored', from(11), (v) => bareRoom(v, { createContent: { creator: BOB } }).build(joinOf(ALICE))),
  denyRow('3.1 (v11+) a stray content.creator does not make a creator', from(11), 'not invited', (v) => bareRoom(v, { createContent: { creator: BOB } }).build(joinOf(BOB))),
  denyRow('3.1 (v12) an additional creator is not the create sender', from(12), 'not invited', (v) =>
    bareRoom(v, { createContent: { additional_creators: [BOB] } }).build(joinOf(BOB)),
  ),
  allow("3.1 the first-join rule comes before the sender check (spec order): another user may send the creator's first join", ALL, (v) =>
    bareRoom(v).build(member(MALLORY, ALICE, 'join')),
  ),

  // 4.3.2 sender must be the target.
  denyRow('3.2 joining someone else to a public room', ALL, 'sender does not match', (v) => room(v, { joinRule: 'public' }).build(member(BOB, CAROL, 'join'))),
  denyRow('3.2 an admin joining someone else', ALL, 'sender does not match', (v) => {
    const r = room(v, { joinRule: 'invite' });
    r.invite(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'join'));
  }),
  // 4.3.3 banned.
  denyRow('3.3 a banned user joining a public room', ALL, 'banned', (v) => {
    const r = room(v, { joinRule: 'public' });
    r.ban(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),
  denyRow('3.3 a banned user who was invited earlier', ALL, 'banned', (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    r.ban(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),

  // public.
  allow('3.6 public: a stranger joins', ALL, (v) => room(v, { joinRule: 'public' }).build(joinOf(BOB))),
  allow('3.6 public: a user who left rejoins', ALL, (v) => {
    const r = room(v, { joinRule: 'public' });
    r.join(BOB);
    r.leave(BOB);
    return r.build(joinOf(BOB));
  }),
  allow('3.6 public: a kicked user rejoins', ALL, (v) => {
    const r = room(v, { joinRule: 'public' });
    r.join(BOB);
    r.kick(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),
  allow('3.6 public: a member updates their profile', ALL, (v) => {
    const r = room(v, { joinRule: 'public' });
    r.join(BOB);
    return r.build(joinOf(BOB, { displayname: 'Bob' }));
  }),

  // invite.
  allow('3.4 invite: an invited user joins', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),
  allow('3.4 invite: a joined user updates their profile', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(joinOf(BOB, { displayname: 'B' }));
  }),
  denyRow('3.4 invite: a stranger', ALL, 'not invited', (v) => room(v).build(joinOf(BOB))),
  denyRow('3.4 invite: a user who left', ALL, 'not invited', (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    r.join(BOB);
    r.leave(BOB);
    return r.build(joinOf(BOB));
  }),
  denyRow('3.4 invite: a user whose invite was rejected', ALL, 'not invited', (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    r.leave(BOB);
    return r.build(joinOf(BOB));
  }),
  denyRow('3.4 invite: the invite of another user does not count', ALL, 'not invited', (v) => {
    const r = room(v);
    r.invite(ALICE, CAROL);
    return r.build(joinOf(BOB));
  }),
  allow('3.4 no join rules event: treated as invite, an invited user joins', ALL, (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    r.invite(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),
  denyRow('3.4 no join rules event: a stranger cannot join', ALL, 'not invited', (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    return r.build(joinOf(BOB));
  }),
  allow("3.4 no join rules event: the creator's later profile change", ALL, (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    return r.build(joinOf(ALICE, { displayname: 'A' }));
  }),

  // knock.
  allow('3.4 (v7+) knock: an invited user joins', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.invite(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),
  denyRow('3.4 (v7+) knock: a stranger cannot join', from(7), 'not invited', (v) => room(v, { joinRule: 'knock' }).build(joinOf(BOB))),
  denyRow('3.4 (v7+) knock: a knocking user must be invited first', from(7), 'not invited', (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(joinOf(BOB));
  }),
  denyRow('3.4 (v1–v6) knock is not a join rule: even an invited user cannot join', upTo(6), 'does not allow joining', (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.invite(ALICE, BOB);
    return r.build(joinOf(BOB));
  }),

  // restricted / knock_restricted.
  ...(['restricted', 'knock_restricted'] as const).flatMap((rule): Row[] => {
    const since = rule === 'restricted' ? 8 : 10;
    return [
      allow(`3.5 (v${since}+) ${rule}: a stranger authorised by a joined user with invite power`, from(since), (v) => withBob(v, rule).build(joinOf(CAROL, via(BOB)))),
      allow(`3.5 (v${since}+) ${rule}: authorised by the creator`, from(since), (v) => room(v, { joinRule: rule }).build(joinOf(CAROL, via(ALICE)))),
      allow(`3.5.1 (v${since}+) ${rule}: an invited user needs no authoriser`, from(since), (v) => {
        const r = room(v, { joinRule: rule });
        r.invite(ALICE, CAROL);
        return r.build(joinOf(CAROL));
      }),
      allow(`3.5.1 (v${since}+) ${rule}: a joined user's profile change needs no authoriser`, from(since), (v) => withBob(v, rule).build(joinOf(BOB, { displayname: 'B' }))),
      allow(`3.5.1 (v${since}+) ${rule}: an invited user with an unqualified authoriser is still allowed`, from(since), (v) => {
        const r = room(v, { joinRule: rule });
        r.invite(ALICE, CAROL);
        return r.build(joinOf(CAROL, via(DAVE)));
      }),
      denyRow(`3.5.2 (v${since}+) ${rule}: a stranger without authoriser`, from(since), 'without join_authorised_via_users_server', (v) => room(v, { joinRule: rule }).build(joinOf(CAROL))),
      denyRow(`3.5.2 (v${since}+) ${rule}: the authoriser is not joined`, from(since), 'not joined', (v) => room(v, { joinRule: rule }).build(joinOf(CAROL, via(DAVE)))),
      denyRow(`3.5.2 (v${since}+) ${rule}: the authoriser left`, from(since), 'not joined', (v) => {
        const r = withBob(v, rule);
        r.leave(BOB);
        return r.build(joinOf(CAROL, via(BOB)));
      }),
      denyRow(`3.5.2 (v${since}+) ${rule}: the authoriser is only invited`, from(since), 'not joined', (v) => {
        const r = room(v, { joinRule: rule });
        r.invite(ALICE, BOB);
        return r.build(joinOf(CAROL, via(BOB)));
      }),
      denyRow(`3.5.2 (v${since}+) ${rule}: the authoriser lacks invite power`, from(since), 'cannot invite', (v) =>
        withBob(v, rule, { users: adminOnly(v), invite: 50 }).build(joinOf(CAROL, via(BOB))),
      ),
      allow(`3.5.2 (v${since}+) ${rule}: the authoriser has exactly the invite level`, from(since), (v) =>
        withBob(v, rule, { users: { ...adminOnly(v), [BOB]: 50 }, invite: 50 }).build(joinOf(CAROL, via(BOB))),
      ),
      denyRow(`3.3 (v${since}+) ${rule}: a banned user even with an authoriser`, from(since), 'banned', (v) => {
        const r = withBob(v, rule);
        r.ban(ALICE, CAROL);
        return r.build(joinOf(CAROL, via(BOB)));
      }),
      denyRow(`3.2 (v${since}+) ${rule}: the authoriser cannot join someone else`, from(since), 'sender does not match', (v) => withBob(v, rule).build(member(BOB, CAROL, 'join', via(BOB)))),
      denyRow(`2 (v${since}+) ${rule}: join_authorised_via_users_server that is not a user ID`, from(since), 'not a valid user ID', (v) => withBob(v, rule).build(joinOf(CAROL, via('bob')))),
      denyRow(`3.7 (before v${since}) ${rule} is not a join rule: authorised stranger`, upTo(since - 1), 'does not allow joining', (v) => withBob(v, rule).build(joinOf(CAROL, via(BOB)))),
      denyRow(`3.7 (before v${since}) ${rule} is not a join rule: even an invited user`, upTo(since - 1), 'does not allow joining', (v) => {
        const r = room(v, { joinRule: rule });
        r.invite(ALICE, CAROL);
        return r.build(joinOf(CAROL));
      }),
    ];
  }),
  allow('2 (v1–v7) join_authorised_via_users_server is an ordinary content key', upTo(7), (v) => room(v, { joinRule: 'public' }).build(joinOf(CAROL, via('not a user')))),
  denyRow('2 (v8+) an invalid authoriser rejects even a leave', from(8), 'not a valid user ID', (v) => {
    const r = room(v, { joinRule: 'public' });
    r.join(BOB);
    return r.build(member(BOB, BOB, 'leave', via('x')));
  }),
  allow('3.5.2 (v12) an additional creator authorises with infinite power', from(12), (v) => {
    const r = room(v, { joinRule: 'restricted', createContent: { additional_creators: [BOB] }, powerLevels: { users: {}, invite: 100 } });
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(joinOf(CAROL, via(BOB)));
  }),
  denyRow('3.7 private is not an implemented join rule', ALL, 'does not allow joining', (v) => room(v, { joinRule: 'private' }).build(joinOf(BOB))),
  denyRow('3.7 an unknown join rule', ALL, 'does not allow joining', (v) => room(v, { joinRule: 'anyone' }).build(joinOf(BOB))),
  denyRow('3.7 a join rules event without a string join_rule', ALL, 'malformed', (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    r.state(ALICE, 'm.room.join_rules', '', { join_rule: 5 });
    return r.build(joinOf(BOB));
  }),
  allow('m.federate true lets other servers join', ALL, (v) => room(v, { joinRule: 'public', createContent: { 'm.federate': true } }).build(joinOf(BOB))),
  denyRow('m.federate false keeps other servers out', ALL, 'not federated', (v) => room(v, { joinRule: 'public', createContent: { 'm.federate': false } }).build(joinOf(BOB))),
  allow('m.federate false still admits users of the creating server', ALL, (v) => room(v, { joinRule: 'public', createContent: { 'm.federate': false } }).build(joinOf(DAVE))),
  allow('m.federate must be exactly false: "false" does not count', ALL, (v) => room(v, { joinRule: 'public', createContent: { 'm.federate': 'false' } }).build(joinOf(BOB))),
];

runTable('membership join', rows);
