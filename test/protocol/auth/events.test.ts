// Every other event: events_default / state_default / events, the "@" state_key rule,
// m.room.third_party_invite, m.federate, redactions (v1–v2 domain rule vs v3+) and
// m.room.aliases (v1–v5 special case vs v6+), plus the room-level preconditions.
import { ALICE, ALL, BOB, CAROL, DAVE, allow, bareRoom, denyRow, from, room, runTable, upTo, isV12, type Row } from './table.ts';

type Content = Record<string, unknown>;
const adminOnly = (v: string) => (isV12(v) ? {} : { [ALICE]: 100 });

/** ALICE admin; BOB joined with the given power level settings. */
function withBob(v: string, levels: Content = {}, users: Content = {}, options: Parameters<typeof room>[1] = {}) {
  const r = room(v, { ...options, powerLevels: { users: { ...adminOnly(v), ...users }, ...levels } });
  r.invite(ALICE, BOB);
  r.join(BOB);
  return r;
}

const msg = (sender: string, extra: Content = {}) => ({ type: 'm.room.message', sender, content: { msgtype: 'm.text', body: 'hi', ...extra } });
const stateEv = (sender: string, type: string, stateKey: string, content: Content = {}) => ({ type, sender, state_key: stateKey, content });

const rows: Row[] = [
  // events_default and events.
  allow('7 a member sends a message (events_default defaults to 0)', ALL, (v) => withBob(v).build(msg(BOB))),
  denyRow('7 below events_default', ALL, 'required for m.room.message', (v) => withBob(v, { events_default: 10 }).build(msg(BOB))),
  allow('7 at events_default', ALL, (v) => withBob(v, { events_default: 10 }, { [BOB]: 10 }).build(msg(BOB))),
  denyRow('7 below events[type]', ALL, 'required for m.room.message', (v) => withBob(v, { events: { 'm.room.message': 20 } }, { [BOB]: 10 }).build(msg(BOB))),
  allow('7 events[type] below events_default wins', ALL, (v) => withBob(v, { events_default: 100, events: { 'm.room.message': 0 } }).build(msg(BOB))),
  allow('7 events for another type does not apply', ALL, (v) => withBob(v, { events: { 'm.reaction': 100 } }).build(msg(BOB))),
  denyRow('7 negative users_default below events_default 0', ALL, 'required', (v) => withBob(v, { users_default: -1 }).build(msg(BOB))),
  // state_default.
  denyRow('7 a member sends state below state_default (defaults to 50)', ALL, 'required for m.room.topic', (v) => withBob(v).build(stateEv(BOB, 'm.room.topic', '', { topic: 't' }))),
  allow('7 state_default lowered', ALL, (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'm.room.topic', '', { topic: 't' }))),
  allow('7 events[type] lowers one state type', ALL, (v) => withBob(v, { events: { 'm.room.topic': 0 } }).build(stateEv(BOB, 'm.room.topic', '', { topic: 't' }))),
  allow('7 the same type without a state_key uses events_default', ALL, (v) => withBob(v).build({ type: 'm.room.topic', sender: BOB, content: { topic: 't' } })),
  denyRow('7 an empty state_key still makes a state event', ALL, 'required for com.example.x', (v) => withBob(v).build(stateEv(BOB, 'com.example.x', ''))),
  allow('7 (v1–v11) the creator with no power levels event sends state (100 ≥ 50)', upTo(11), (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    return r.build(stateEv(ALICE, 'm.room.name', '', { name: 'n' }));
  }),
  allow('7 (v12) the creator with no power levels event sends state (infinite)', from(12), (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    return r.build(stateEv(ALICE, 'm.room.name', '', { name: 'n' }));
  }),
  allow('7 (v12) an additional creator sends anything', from(12), (v) => {
    const r = room(v, { createContent: { additional_creators: [BOB] }, powerLevels: { users: {}, state_default: Number.MAX_SAFE_INTEGER, events_default: Number.MAX_SAFE_INTEGER } });
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(stateEv(BOB, 'm.room.tombstone', '', { body: 'moved', replacement_room: '!new' }));
  }),
  denyRow('7 (v1–v11) the creator at 100 is below an explicit 101', upTo(11), 'required', (v) => room(v, { powerLevels: { users: { [ALICE]: 100 }, events: { 'm.room.tombstone': 101 } } }).build(stateEv(ALICE, 'm.room.tombstone', '', {}))),
  allow('7 (v1–v9) string levels', upTo(9), (v) => withBob(v, { events_default: '20' }, { [BOB]: '20' }).build(msg(BOB))),
  allow('7 (v10+) a string level in state is read as absent (its default)', from(10), (v) => withBob(v, { events_default: '20' }).build(msg(BOB))),

  // 5. membership.
  denyRow('5 a stranger sends a message', ALL, 'not joined', (v) => room(v, { joinRule: 'public' }).build(msg(BOB))),
  denyRow('5 an invited user sends a message', ALL, 'not joined', (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(msg(BOB));
  }),
  denyRow('5 a user who left sends a message', ALL, 'not joined', (v) => {
    const r = withBob(v);
    r.leave(BOB);
    return r.build(msg(BOB));
  }),
  denyRow('5 a banned user sends a message', ALL, 'not joined', (v) => {
    const r = withBob(v);
    r.ban(ALICE, BOB);
    return r.build(msg(BOB));
  }),
  denyRow('5 (v7+) a knocking user sends a message', from(7), 'not joined', (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(msg(BOB));
  }),
  denyRow('5 a member event with a malformed membership is not joined', ALL, 'not joined', (v) => {
    const r = withBob(v);
    r.state(BOB, 'm.room.member', BOB, { membership: { join: true } });
    return r.build(msg(BOB));
  }),

  // 8. state_key starting with "@".
  allow("8 a user's own @-keyed state", ALL, (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'com.example.profile', BOB))),
  denyRow("8 another user's @-keyed state", ALL, 'state_key starts with @', (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'com.example.profile', CAROL))),
  denyRow('8 even an admin cannot write another user\'s @-keyed state', ALL, 'state_key starts with @', (v) => withBob(v).build(stateEv(ALICE, 'com.example.profile', BOB))),
  denyRow('8 an @-key that is not a user ID', ALL, 'state_key starts with @', (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'com.example.x', '@'))),
  denyRow('8 an @-key with a suffix after the sender', ALL, 'state_key starts with @', (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'com.example.x', `${BOB}_device`))),
  allow('8 a key that merely contains a user ID', ALL, (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'com.example.x', `_${CAROL}`))),
  denyRow('7 the power check comes first', ALL, 'required', (v) => withBob(v).build(stateEv(BOB, 'com.example.profile', BOB))),

  // 6. m.room.third_party_invite events.
  allow('6 third_party_invite at the invite level (default 0)', ALL, (v) => withBob(v).build(stateEv(BOB, 'm.room.third_party_invite', 'tok', { display_name: 'x', public_key: 'k' }))),
  denyRow('6 third_party_invite below the invite level', ALL, 'invite level', (v) =>
    withBob(v, { invite: 50 }).build(stateEv(BOB, 'm.room.third_party_invite', 'tok', { display_name: 'x' })),
  ),
  allow('6 third_party_invite ignores state_default and events', ALL, (v) =>
    withBob(v, { state_default: 100, events: { 'm.room.third_party_invite': 100 } }).build(stateEv(BOB, 'm.room.third_party_invite', 'tok', {})),
  ),
  allow('6 third_party_invite ignores the @ state_key rule (allowed before it)', ALL, (v) => withBob(v).build(stateEv(BOB, 'm.room.third_party_invite', CAROL, {}))),
  denyRow('5 third_party_invite from a non-member', ALL, 'not joined', (v) => room(v).build(stateEv(BOB, 'm.room.third_party_invite', 'tok', {}))),

  // 3. m.federate.
  denyRow('3 m.federate false: a remote member (admitted anyhow) cannot send', ALL, 'not federated', (v) => withBob(v, {}, {}, { createContent: { 'm.federate': false } }).build(msg(BOB))),
  allow('3 m.federate false: a local member can send', ALL, (v) => {
    const r = room(v, { createContent: { 'm.federate': false } });
    r.invite(ALICE, DAVE);
    r.join(DAVE);
    return r.build(msg(DAVE));
  }),
  allow('3 m.federate absent', ALL, (v) => withBob(v).build(msg(BOB))),
  allow('3 m.federate null is not false', ALL, (v) => withBob(v, {}, {}, { createContent: { 'm.federate': null } }).build(msg(BOB))),
  allow('3 m.federate 0 is not false', ALL, (v) => withBob(v, {}, {}, { createContent: { 'm.federate': 0 } }).build(msg(BOB))),
  denyRow('3 m.federate compares the create sender\'s domain (a port makes another server)', ALL, 'not federated', (v) => {
    const r = room(v, { createContent: { 'm.federate': false } });
    r.invite(ALICE, '@eve:a.example:8448');
    r.join('@eve:a.example:8448');
    return r.build(msg('@eve:a.example:8448'));
  }),

  // Redactions.
  allow('(v1–v2) 11.2 redacting an event from the redaction\'s own domain', upTo(2), (v) => {
    const r = withBob(v);
    const own = r.message(BOB, 'oops');
    return r.build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: own.event_id });
  }),
  denyRow("(v1–v2) 11.3 redacting another domain's event below the redact level", upTo(2), 'redact level', (v) => {
    const r = withBob(v);
    const theirs = r.message(ALICE, 'hello');
    return r.build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: theirs.event_id });
  }),
  allow("(v1–v2) 11.1 redacting another domain's event at the redact level", upTo(2), (v) => {
    const r = withBob(v, { redact: 10 }, { [BOB]: 10 });
    const theirs = r.message(ALICE, 'hello');
    return r.build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: theirs.event_id });
  }),
  allow('(v1–v2) 11.2 the domains of the event IDs count, not of the senders', upTo(2), (v) => {
    const r = withBob(v);
    return r.build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: '$other:b.example' });
  }),
  denyRow('(v1–v2) 11.2 a redaction event ID on another domain than the redacted one', upTo(2), 'redact level', (v) =>
    withBob(v).build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: '$other:b.example', extra: { event_id: '$r:c.example' } }),
  ),
  denyRow('(v1–v2) 11.3 redacts missing', upTo(2), 'redact level', (v) => withBob(v).build({ type: 'm.room.redaction', sender: BOB, content: {} })),
  denyRow('(v1–v2) 11.3 redacts without a domain', upTo(2), 'redact level', (v) => withBob(v).build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: '$nodomain' })),
  allow("(v3+) the redact level is not an auth rule: redacting another's event at level 0", from(3), (v) => {
    const r = withBob(v);
    const theirs = r.message(ALICE, 'hello');
    return r.build({ type: 'm.room.redaction', sender: BOB, content: from(11).includes(v) ? { redacts: theirs.event_id } : {}, redacts: theirs.event_id });
  }),
  allow('(v3+) a redaction of an unknown event is allowed by the rules', from(3), (v) => withBob(v).build({ type: 'm.room.redaction', sender: BOB, content: { redacts: '$whatever' } })),
  denyRow('7 events["m.room.redaction"] applies in every version', ALL, 'required for m.room.redaction', (v) => {
    const r = withBob(v, { events: { 'm.room.redaction': 50 } });
    const own = r.message(BOB, 'mine');
    return r.build({ type: 'm.room.redaction', sender: BOB, content: { redacts: own.event_id }, redacts: own.event_id });
  }),
  denyRow('5 a non-member cannot redact', ALL, 'not joined', (v) => room(v).build({ type: 'm.room.redaction', sender: BOB, content: {}, redacts: '$x:b.example' })),

  // m.room.aliases.
  allow("(v1–v5) 4 aliases for the sender's own server, even by a non-member", upTo(5), (v) => room(v).build(stateEv(BOB, 'm.room.aliases', 'b.example', { aliases: ['#x:b.example'] }))),
  allow('(v1–v5) 4 aliases ignore power levels', upTo(5), (v) => withBob(v, { state_default: 100, events: { 'm.room.aliases': 100 } }).build(stateEv(BOB, 'm.room.aliases', 'b.example', { aliases: [] }))),
  denyRow("(v1–v5) 4.2 aliases for another server", upTo(5), "not the sender's domain", (v) => withBob(v, { state_default: 0 }).build(stateEv(BOB, 'm.room.aliases', 'a.example', { aliases: [] }))),
  denyRow('(v1–v5) 4.1 aliases without a state_key', upTo(5), 'no state_key', (v) => withBob(v, { state_default: 0 }).build({ type: 'm.room.aliases', sender: BOB, content: { aliases: [] } })),
  denyRow('(v1–v5) 3 m.federate false comes before the aliases rule', upTo(5), 'not federated', (v) =>
    room(v, { createContent: { 'm.federate': false } }).build(stateEv(BOB, 'm.room.aliases', 'b.example', { aliases: [] })),
  ),
  denyRow('(v6+) aliases need membership', from(6), 'not joined', (v) => room(v).build(stateEv(BOB, 'm.room.aliases', 'b.example', { aliases: [] }))),
  denyRow('(v6+) aliases need the state level', from(6), 'required for m.room.aliases', (v) => withBob(v).build(stateEv(BOB, 'm.room.aliases', 'b.example', { aliases: [] }))),
  allow('(v6+) aliases by an admin for any state_key', from(6), (v) => withBob(v).build(stateEv(ALICE, 'm.room.aliases', 'elsewhere.example', { aliases: [] }))),

  // Other state types the rules name are still ordinary events here.
  allow('m.room.join_rules by an admin', ALL, (v) => room(v).build(stateEv(ALICE, 'm.room.join_rules', '', { join_rule: 'public' }))),
  denyRow('m.room.join_rules by a member below state_default', ALL, 'required for m.room.join_rules', (v) => withBob(v).build(stateEv(BOB, 'm.room.join_rules', '', { join_rule: 'public' }))),
  denyRow('1 a second m.room.create is judged by rule 1 (it has prev_events)', ALL, 'prev_events', (v) => room(v).build(stateEv(ALICE, 'm.room.create', '', { creator: ALICE }))),
];

runTable('other events', rows);
