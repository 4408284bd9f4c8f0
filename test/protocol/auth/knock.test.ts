// Membership "knock" (v7+; knock_restricted from v10).
import { ALICE, BOB, CAROL, allow, between, denyRow, from, member, room, runTable, upTo, type Row } from './table.ts';

const knockOf = (user: string) => member(user, user, 'knock', { reason: 'let me in' });

const rows: Row[] = [
  allow('7.3 (v7+) a stranger knocks on a knock room', from(7), (v) => room(v, { joinRule: 'knock' }).build(knockOf(BOB))),
  allow('7.3 (v10+) a stranger knocks on a knock_restricted room', from(10), (v) => room(v, { joinRule: 'knock_restricted' }).build(knockOf(BOB))),
  allow('7.3 (v7+) knocking again while knocking', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(knockOf(BOB));
  }),
  allow('7.3 (v7+) knocking after leaving', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.invite(ALICE, BOB);
    r.join(BOB);
    r.leave(BOB);
    return r.build(knockOf(BOB));
  }),
  allow('7.3 (v7+) knocking after being kicked', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    r.kick(ALICE, BOB);
    return r.build(knockOf(BOB));
  }),
  allow('7.3 (v7+) knocking needs no power', from(7), (v) => room(v, { joinRule: 'knock', powerLevels: { users: {}, users_default: -100, invite: 100 } }).build(knockOf(BOB))),
  denyRow('7.1 (v7+) knocking on an invite room', from(7), 'does not allow knocking', (v) => room(v, { joinRule: 'invite' }).build(knockOf(BOB))),
  denyRow('7.1 (v7+) knocking on a public room', from(7), 'does not allow knocking', (v) => room(v, { joinRule: 'public' }).build(knockOf(BOB))),
  denyRow('7.1 (v8+) knocking on a restricted room', from(8), 'does not allow knocking', (v) => room(v, { joinRule: 'restricted' }).build(knockOf(BOB))),
  denyRow('7.1 (v7–v9) knock_restricted is not a join rule yet', between(7, 9), 'does not allow knocking', (v) => room(v, { joinRule: 'knock_restricted' }).build(knockOf(BOB))),
  denyRow('7.1 (v7+) no join rules event: knocking is not allowed', from(7), 'does not allow knocking', (v) => {
    const r = room(v);
    r.state(ALICE, 'm.room.join_rules', '', {});
    return r.build(knockOf(BOB));
  }),
  denyRow('7.2 (v7+) knocking for someone else', from(7), 'sender does not match', (v) => room(v, { joinRule: 'knock' }).build(member(BOB, CAROL, 'knock'))),
  denyRow('7.4 (v7+) a banned user knocks', from(7), 'already banned', (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.ban(ALICE, BOB);
    return r.build(knockOf(BOB));
  }),
  denyRow('7.4 (v7+) an invited user knocks', from(7), 'already invited', (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.invite(ALICE, BOB);
    return r.build(knockOf(BOB));
  }),
  denyRow('7.4 (v7+) a joined user knocks', from(7), 'already joined', (v) => room(v, { joinRule: 'knock' }).build(knockOf(ALICE))),
  denyRow('(v1–v6) knock is an unknown membership', upTo(6), 'knock is not a membership', (v) => room(v, { joinRule: 'knock' }).build(knockOf(BOB))),
  denyRow('(v1–v6) knock is an unknown membership even in a public room', upTo(6), 'knock is not a membership', (v) => room(v, { joinRule: 'public' }).build(knockOf(BOB))),
  denyRow('3 (v7+) m.federate false stops remote knocks', from(7), 'not federated', (v) => room(v, { joinRule: 'knock', createContent: { 'm.federate': false } }).build(knockOf(BOB))),
];

runTable('membership knock', rows);
