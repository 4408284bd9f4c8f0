// Memberships "leave" (leaving, rejecting, kicking, unbanning) and "ban", with the power
// comparisons between sender and target.
import { ALICE, ALL, BOB, CAROL, DAVE, allow, denyRow, from, member, room, runTable, upTo, isV12, type Row } from './table.ts';
import type { RoomBuilder } from '../../helpers/room-builder.ts';

const adminOnly = (v: string) => (isV12(v) ? {} : { [ALICE]: 100 });

/** A room where BOB and CAROL are joined with the given levels (ALICE stays admin/creator). */
function people(v: string, levels: Record<string, unknown> = {}, users: Record<string, number> = {}): RoomBuilder {
  const r = room(v, { powerLevels: { users: { ...adminOnly(v), ...users }, ...levels } });
  for (const user of [BOB, CAROL]) {
    r.invite(ALICE, user);
    r.join(user);
  }
  return r;
}

const rows: Row[] = [
  // 4.5.1 leaving oneself.
  allow('5.1 a joined user leaves', ALL, (v) => people(v).build(member(BOB, BOB, 'leave'))),
  allow('5.1 an invited user rejects the invite', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(member(BOB, BOB, 'leave'));
  }),
  allow('5.1 (v7+) a knocking user retracts the knock', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(member(BOB, BOB, 'leave'));
  }),
  denyRow('5.1 (v1–v6) a knock membership does not allow leaving', upTo(6), 'not invited, joined or knocking', (v) => {
    const r = room(v, { joinRule: 'public' });
    r.knock(BOB); // not authorised in these versions; the builder just records it
    return r.build(member(BOB, BOB, 'leave'));
  }),
  denyRow('5.1 a stranger cannot leave', ALL, 'not invited, joined or knocking', (v) => room(v).build(member(BOB, BOB, 'leave'))),
  denyRow('5.1 leaving twice', ALL, 'not invited, joined or knocking', (v) => {
    const r = people(v);
    r.leave(BOB);
    return r.build(member(BOB, BOB, 'leave'));
  }),
  denyRow('5.1 a banned user cannot unban themselves', ALL, 'not invited, joined or knocking', (v) => {
    const r = people(v);
    r.ban(ALICE, BOB);
    return r.build(member(BOB, BOB, 'leave'));
  }),
  allow('5.1 the creator leaves', ALL, (v) => room(v).build(member(ALICE, ALICE, 'leave'))),
  allow('5.1 leaving needs no power even with absurd levels', ALL, (v) => people(v, { kick: 1000, ban: 1000, events_default: 1000, state_default: 1000 }).build(member(BOB, BOB, 'leave'))),

  // 4.5.2–4.5.5 kicks.
  allow('5.4 an admin kicks a member (kick level defaults to 50)', ALL, (v) => people(v).build(member(ALICE, BOB, 'leave'))),
  allow('5.4 kicking at exactly the kick level', ALL, (v) => people(v, {}, { [BOB]: 50 }).build(member(BOB, CAROL, 'leave'))),
  allow('5.4 a custom kick level', ALL, (v) => people(v, { kick: 10 }, { [BOB]: 10 }).build(member(BOB, CAROL, 'leave'))),
  denyRow('5.5 below the kick level', ALL, 'kick level', (v) => people(v, {}, { [BOB]: 49 }).build(member(BOB, CAROL, 'leave'))),
  denyRow('5.5 kicking an equal', ALL, 'not above the target', (v) => people(v, {}, { [BOB]: 50, [CAROL]: 50 }).build(member(BOB, CAROL, 'leave'))),
  denyRow('5.5 kicking a superior', ALL, 'not above the target', (v) => people(v, {}, { [BOB]: 50, [CAROL]: 60 }).build(member(BOB, CAROL, 'leave'))),
  denyRow('5.2 a kicker who is not joined', ALL, 'not joined', (v) => {
    const r = people(v, {}, { [DAVE]: 100 });
    r.invite(ALICE, DAVE);
    return r.build(member(DAVE, BOB, 'leave'));
  }),
  denyRow('5.2 a kicker who left', ALL, 'not joined', (v) => {
    const r = people(v, {}, { [BOB]: 60 });
    r.leave(BOB);
    return r.build(member(BOB, CAROL, 'leave'));
  }),
  allow('5.4 revoking an invite', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'leave'));
  }),
  allow('5.4 (v7+) denying a knock', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(member(ALICE, BOB, 'leave'));
  }),
  allow('5.4 "kicking" a user with no membership', ALL, (v) => room(v).build(member(ALICE, BOB, 'leave'))),
  denyRow('5.5 a member with default levels cannot kick', ALL, 'kick level', (v) => people(v).build(member(BOB, CAROL, 'leave'))),
  allow('5.4 (v1–v11) the creator can be kicked by a higher user', upTo(11), (v) =>
    people(v, {}, { [ALICE]: 50, [BOB]: 100 }).build(member(BOB, ALICE, 'leave')),
  ),
  denyRow('5.5 (v12) nobody outranks a creator', from(12), 'not above the target', (v) =>
    people(v, {}, { [BOB]: 9007199254740991 }).build(member(BOB, ALICE, 'leave')),
  ),
  allow('5.4 (v12) a creator kicks the most powerful non-creator', from(12), (v) =>
    people(v, {}, { [BOB]: 9007199254740991 }).build(member(ALICE, BOB, 'leave')),
  ),
  denyRow('5.5 (v12) creators cannot kick each other', from(12), 'not above the target', (v) => {
    const r = room(v, { createContent: { additional_creators: [BOB] } });
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(member(ALICE, BOB, 'leave'));
  }),
  allow('5.4 (v1–v9) string levels compare numerically ("9" < "10")', upTo(9), (v) =>
    people(v, { kick: '10' }, { [BOB]: '10' as unknown as number, [CAROL]: '9' as unknown as number }).build(member(BOB, CAROL, 'leave')),
  ),
  allow('5.4 (v1–v5) float levels truncate: 50.9 (50) kicks 49.99 (49) at kick level 49.5 (49)', upTo(5), (v) =>
    people(v, { kick: 49.5 }, { [BOB]: 50.9, [CAROL]: 49.99 }).build(member(BOB, CAROL, 'leave')),
  ),
  denyRow('5.5 (v1–v5) float levels truncate to equal powers', upTo(5), 'not above the target', (v) =>
    people(v, {}, { [BOB]: 50.9, [CAROL]: 50.1 }).build(member(BOB, CAROL, 'leave')),
  ),

  // 4.5.3 unbans.
  allow('5.4 unban by a user at the ban and kick levels, above the target', ALL, (v) => {
    const r = people(v, {}, { [BOB]: 50 });
    r.ban(ALICE, CAROL);
    return r.build(member(BOB, CAROL, 'leave'));
  }),
  denyRow('5.3 unban below the ban level', ALL, 'below the ban level', (v) => {
    const r = people(v, { ban: 60, kick: 50 }, { [BOB]: 55 });
    r.ban(ALICE, CAROL);
    return r.build(member(BOB, CAROL, 'leave'));
  }),
  denyRow('5.5 unban at the ban level but below the kick level', ALL, 'kick level', (v) => {
    const r = people(v, { ban: 50, kick: 70 }, { [BOB]: 60 });
    r.ban(ALICE, CAROL);
    return r.build(member(BOB, CAROL, 'leave'));
  }),
  denyRow('5.5 unban of an equal', ALL, 'not above the target', (v) => {
    const r = people(v, {}, { [BOB]: 50, [CAROL]: 50 });
    r.ban(ALICE, CAROL);
    return r.build(member(BOB, CAROL, 'leave'));
  }),
  allow('5.4 the creator unbans (no power levels event, v1–v11 creator 100 / v12 infinite)', ALL, (v) => {
    const r = room(v);
    r.ban(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'leave'));
  }),

  // 4.6 bans.
  allow('6.2 an admin bans a member (ban level defaults to 50)', ALL, (v) => people(v).build(member(ALICE, BOB, 'ban'))),
  allow('6.2 banning a stranger', ALL, (v) => room(v).build(member(ALICE, BOB, 'ban'))),
  allow('6.2 banning an invited user', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'ban'));
  }),
  allow('6.2 banning a user who left', ALL, (v) => {
    const r = people(v);
    r.leave(BOB);
    return r.build(member(ALICE, BOB, 'ban'));
  }),
  allow('6.2 banning a banned user again', ALL, (v) => {
    const r = people(v);
    r.ban(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'ban', { reason: 'again' }));
  }),
  allow('6.2 (v7+) banning a knocking user', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(member(ALICE, BOB, 'ban'));
  }),
  allow('6.2 banning at exactly the ban level', ALL, (v) => people(v, { ban: 30 }, { [BOB]: 30 }).build(member(BOB, CAROL, 'ban'))),
  denyRow('6.3 below the ban level', ALL, 'ban level', (v) => people(v, {}, { [BOB]: 49 }).build(member(BOB, CAROL, 'ban'))),
  denyRow('6.3 banning an equal', ALL, 'not above the target', (v) => people(v, {}, { [BOB]: 50, [CAROL]: 50 }).build(member(BOB, CAROL, 'ban'))),
  denyRow('6.3 banning a superior', ALL, 'not above the target', (v) => people(v, {}, { [BOB]: 60 }).build(member(BOB, ALICE, 'ban'))),
  denyRow('6.3 banning oneself', ALL, 'not above the target', (v) => people(v).build(member(ALICE, ALICE, 'ban'))),
  denyRow('6.1 a banner who is not joined', ALL, 'not joined', (v) => {
    const r = people(v, {}, { [DAVE]: 100 });
    r.invite(ALICE, DAVE);
    return r.build(member(DAVE, BOB, 'ban'));
  }),
  denyRow('6.1 a stranger with power cannot ban', ALL, 'not joined', (v) => people(v, {}, { [DAVE]: 100 }).build(member(DAVE, BOB, 'ban'))),
  allow('6.2 users_default above the ban level lets members ban lower users', ALL, (v) => people(v, { users_default: 50 }, { [CAROL]: 10 }).build(member(BOB, CAROL, 'ban'))),
  denyRow('6.3 (v12) banning a creator', from(12), 'not above the target', (v) => people(v, {}, { [BOB]: 100 }).build(member(BOB, ALICE, 'ban'))),
  denyRow('6.3 (v12) an additional creator cannot ban the create sender', from(12), 'not above the target', (v) => {
    const r = room(v, { createContent: { additional_creators: [BOB] } });
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(member(BOB, ALICE, 'ban'));
  }),
  allow('6.2 (v12) an additional creator bans anyone else', from(12), (v) => {
    const r = room(v, { createContent: { additional_creators: [BOB] }, powerLevels: { users: { [CAROL]: 9007199254740991 } } });
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(member(BOB, CAROL, 'ban'));
  }),
  denyRow('8 an unknown membership', ALL, 'unknown membership', (v) => people(v).build(member(ALICE, BOB, 'kick'))),
  denyRow('8 a membership that is not a string', ALL, 'unknown membership', (v) => people(v).build({ type: 'm.room.member', sender: ALICE, state_key: BOB, content: { membership: ['ban'] } })),
  denyRow('1 no membership', ALL, 'no content.membership', (v) => people(v).build({ type: 'm.room.member', sender: ALICE, state_key: BOB, content: {} })),
  denyRow('1 no state_key', ALL, 'no state_key', (v) => people(v).build({ type: 'm.room.member', sender: ALICE, content: { membership: 'leave' } })),
];

runTable('membership leave and ban', rows);
