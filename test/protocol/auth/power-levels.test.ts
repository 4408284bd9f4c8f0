// m.room.power_levels events: validation per room version (strings before v10, floats
// before v6, v12 creators) and the rules on changing levels relative to the sender's own.
import { ALICE, ALL, BOB, CAROL, DAVE, allow, denyRow, from, room, bareRoom, runTable, upTo, isV12, type Row } from './table.ts';
import type { RoomBuilder } from '../../helpers/room-builder.ts';

type Content = Record<string, unknown>;
const pl = (sender: string, content: Content) => ({ type: 'm.room.power_levels', sender, state_key: '', content });

/** ALICE creator/admin, BOB 50, CAROL 40, DAVE 60; all joined. */
function staff(v: string, extra: Content = {}, users: Content = {}): { r: RoomBuilder; base: Content } {
  const base: Content = {
    users: { ...(isV12(v) ? {} : { [ALICE]: 100 }), [BOB]: 50, [CAROL]: 40, [DAVE]: 60, ...users },
    state_default: 50,
    ...extra,
  };
  const r = room(v, { powerLevels: base });
  for (const user of [BOB, CAROL, DAVE]) {
    r.invite(ALICE, user);
    r.join(user);
  }
  return { r, base };
}

/** A staff member sends the staff power levels with a change. */
function changes(v: string, sender: string, change: (c: Content) => void, extra: Content = {}, users: Content = {}) {
  const { r, base } = staff(v, extra, users);
  const next = structuredClone(base);
  change(next);
  return r.build(pl(sender, next));
}

/** BOB (50) sends the staff power levels with a change. */
const bobChanges = (v: string, change: (c: Content) => void, extra: Content = {}, users: Content = {}) => changes(v, BOB, change, extra, users);

const usersOf = (c: Content) => c.users as Content;
const eventsOf = (c: Content) => (c.events ??= {}) as Content;
const firstPl = (v: string, content: Content) => {
  const r = bareRoom(v);
  r.join(ALICE);
  return r.build(pl(ALICE, content));
};

const rows: Row[] = [
  // Validation.
  allow('9.4 the first power levels event is allowed once valid', ALL, (v) => firstPl(v, { users: {} })),
  allow('9.4 the first power levels event may grant levels above the sender', ALL, (v) => firstPl(v, { users: { [BOB]: 1000 }, ban: 1000 })),
  allow('9.3 users may be absent', ALL, (v) => firstPl(v, { ban: 50 })),
  denyRow('9.3 users is an array', ALL, 'users is not an object', (v) => firstPl(v, { users: [] })),
  denyRow('9.3 users is null', ALL, 'users is not an object', (v) => firstPl(v, { users: null })),
  denyRow('9.3 users is a string', ALL, 'users is not an object', (v) => firstPl(v, { users: '{}' })),
  denyRow('9.3 a users key that is not a user ID', ALL, 'not a valid user ID', (v) => firstPl(v, { users: { bob: 10 } })),
  denyRow('9.3 a users key without a server', ALL, 'not a valid user ID', (v) => firstPl(v, { users: { '@bob': 10 } })),
  denyRow('9.3 a users key with a bad server name', ALL, 'not a valid user ID', (v) => firstPl(v, { users: { '@bob:bad server': 10 } })),
  allow('9.3 a historical user ID as a users key', ALL, (v) => firstPl(v, { users: { '@Bob Smith:b.example': 10 } })),
  denyRow('9.3 a users value that is a non-numeric string', ALL, 'not an integer', (v) => firstPl(v, { users: { [BOB]: 'fifty' } })),
  denyRow('9.3 a users value that is a decimal string', ALL, 'not an integer', (v) => firstPl(v, { users: { [BOB]: '50.0' } })),
  denyRow('9.3 a users value that is a boolean', ALL, 'not an integer', (v) => firstPl(v, { users: { [BOB]: true } })),
  denyRow('9.3 a users value that is null', ALL, 'not an integer', (v) => firstPl(v, { users: { [BOB]: null } })),
  denyRow('9.3 a users value that is an object', ALL, 'not an integer', (v) => firstPl(v, { users: { [BOB]: { level: 5 } } })),
  allow('9.3 (v1–v9) a users value that is an integer string', upTo(9), (v) => firstPl(v, { users: { [BOB]: '50' } })),
  allow('9.3 (v1–v9) integer strings with sign, zeros and spaces', upTo(9), (v) => firstPl(v, { users: { [BOB]: ' +0050 ', [CAROL]: '-10', [DAVE]: '\t7\n' } })),
  denyRow('9.3 (v1–v9) a string with two signs', upTo(9), 'not an integer', (v) => firstPl(v, { users: { [BOB]: '+-5' } })),
  denyRow('9.3 (v1–v9) an empty string', upTo(9), 'not an integer', (v) => firstPl(v, { users: { [BOB]: '' } })),
  denyRow('9.3 (v1–v9) an exponent string', upTo(9), 'not an integer', (v) => firstPl(v, { users: { [BOB]: '1e3' } })),
  denyRow('9.3 (v10+) a users value that is an integer string', from(10), 'not an integer', (v) => firstPl(v, { users: { [BOB]: '50' } })),
  allow('9.3 (v1–v5) a users value that is a float', upTo(5), (v) => firstPl(v, { users: { [BOB]: 50.57 } })),
  denyRow('9.3 (v6+) a users value that is a float', from(6), 'not an integer', (v) => firstPl(v, { users: { [BOB]: 50.57 } })),
  denyRow('9.3 a users value beyond a double (1e400 parses to Infinity)', ALL, /not an integer|outside the range/, (v) => firstPl(v, JSON.parse(`{"users": {"${BOB}": 1e400}}`))),
  denyRow('(v1–v5) floaty: a top-level value beyond a double rejects the event', upTo(5), 'outside the range', (v) => firstPl(v, JSON.parse('{"ban": -1e400}'))),
  denyRow('(v1–v5) floaty: an events value beyond a double rejects the event', upTo(5), 'outside the range', (v) => firstPl(v, JSON.parse('{"events": {"m.room.name": 1e999}}'))),
  allow('(v1–v5) a huge but finite users value', upTo(5), (v) => firstPl(v, { users: { [BOB]: 1e300 } })),
  denyRow('9.3 (v6+) a users value outside the canonical JSON integer range', from(6), 'not an integer', (v) => firstPl(v, { users: { [BOB]: 2 ** 60 } })),
  allow('9.3 (v6+) a users value at the canonical JSON limit', from(6), (v) => firstPl(v, { users: { [BOB]: Number.MAX_SAFE_INTEGER, [CAROL]: -Number.MAX_SAFE_INTEGER } })),
  ...(['users_default', 'events_default', 'state_default', 'ban', 'redact', 'kick', 'invite'] as const).flatMap((key): Row[] => [
    denyRow(`9.1 (v10+) ${key} as a string`, from(10), `${key} is not an integer`, (v) => firstPl(v, { [key]: '50' })),
    denyRow(`9.1 (v10+) ${key} as a float`, from(10), `${key} is not an integer`, (v) => firstPl(v, { [key]: 50.5 })),
    denyRow(`9.1 (v10+) ${key} as null`, from(10), `${key} is not an integer`, (v) => firstPl(v, { [key]: null })),
    allow(`9.1 (v1–v9) ${key} as a string`, upTo(9), (v) => firstPl(v, { [key]: '50' })),
    allow(`(v1–v9) ${key} as garbage is not validated (read as the default)`, upTo(9), (v) => firstPl(v, { [key]: { nested: true } })),
  ]),
  ...(['events', 'notifications'] as const).flatMap((name): Row[] => [
    denyRow(`9.2 (v10+) ${name} not an object`, from(10), `${name} is not an object of integers`, (v) => firstPl(v, { [name]: [] })),
    denyRow(`9.2 (v10+) ${name} with a string value`, from(10), `${name} is not an object of integers`, (v) => firstPl(v, { [name]: { a: '50' } })),
    denyRow(`9.2 (v10+) ${name} null`, from(10), `${name} is not an object of integers`, (v) => firstPl(v, { [name]: null })),
    allow(`9.2 (v10+) ${name} as an object of integers`, from(10), (v) => firstPl(v, { [name]: { a: 50, b: -1 } })),
    allow(`(v1–v9) ${name} with string values`, upTo(9), (v) => firstPl(v, { [name]: { a: '50' } })),
    allow(`(v1–v9) ${name} that is not an object`, upTo(9), (v) => firstPl(v, { [name]: 'x' })),
  ]),
  denyRow('10.4 (v12) users names the create sender', from(12), 'names a room creator', (v) => firstPl(v, { users: { [ALICE]: 100 } })),
  denyRow('10.4 (v12) users names an additional creator', from(12), 'names a room creator', (v) => {
    const r = bareRoom(v, { createContent: { additional_creators: [BOB] } });
    r.join(ALICE);
    return r.build(pl(ALICE, { users: { [BOB]: 0 } }));
  }),
  denyRow('10.4 (v12) a later change that lists the creator', from(12), 'names a room creator', (v) => bobChanges(v, (c) => (usersOf(c)[ALICE] = 0))),
  allow('10.4 (v1–v11) users may name the creator', upTo(11), (v) => firstPl(v, { users: { [ALICE]: 100 } })),
  allow('10.4 (v12) a near-creator (different user) is fine', from(12), (v) => firstPl(v, { users: { '@alice:a.example.org': 100 } })),

  // Top-level changes.
  allow('9.5 the admin lowers ban', ALL, (v) => {
    const { r, base } = staff(v);
    return r.build(pl(ALICE, { ...base, ban: 10 }));
  }),
  denyRow('9.5.1 the current value is above the sender', ALL, 'current ban exceeds', (v) => bobChanges(v, (c) => (c.ban = 40), { ban: 60 })),
  denyRow('9.5.2 the new value is above the sender', ALL, 'new ban exceeds', (v) => bobChanges(v, (c) => (c.ban = 60), { ban: 40 })),
  allow('9.5 raising a value to the sender\'s level', ALL, (v) => bobChanges(v, (c) => (c.ban = 50), { ban: 40 })),
  allow('9.5 lowering a value from the sender\'s level', ALL, (v) => bobChanges(v, (c) => (c.kick = 0), { kick: 50 })),
  denyRow('9.5.1 removing a value above the sender', ALL, 'current kick exceeds', (v) => bobChanges(v, (c) => delete c.kick, { kick: 80 })),
  allow('9.5 adding a value: there is no current value to compare (even though the default, 50, is above the sender)', ALL, (v) =>
    changes(v, CAROL, (c) => (c.redact = 0), { state_default: 40 }),
  ),
  denyRow('9.5.1 removing an explicit value above the sender (50 → default)', ALL, 'current redact exceeds', (v) =>
    changes(v, CAROL, (c) => delete c.redact, { state_default: 40, redact: 50 }),
  ),
  denyRow('9.5.2 raising users_default above the sender', ALL, 'new users_default exceeds', (v) => bobChanges(v, (c) => (c.users_default = 51))),
  denyRow('9.5.2 raising state_default above the sender', ALL, 'new state_default exceeds', (v) => bobChanges(v, (c) => (c.state_default = 51))),
  allow('9.5 unchanged values may be above the sender', ALL, (v) => bobChanges(v, (c) => (c.invite = 0), { ban: 100, kick: 100, redact: 100 })),
  allow('9.5 (v1–v9) "60" → 60 is not a change', upTo(9), (v) => bobChanges(v, (c) => (c.ban = 60), { ban: '60' })),
  denyRow('9.5 (v1–v9) "60" → 61 is a change', upTo(9), 'current ban exceeds', (v) => bobChanges(v, (c) => (c.ban = 61), { ban: '60' })),
  allow('9.5 (v1–v5) 60.2 → 60 is not a change', upTo(5), (v) => bobChanges(v, (c) => (c.ban = 60), { ban: 60.2 })),

  // events / notifications.
  denyRow('9.7 adding an events entry above the sender', ALL, 'new events["m.room.topic"] exceeds', (v) => bobChanges(v, (c) => (eventsOf(c)['m.room.topic'] = 60))),
  allow('9.7 adding an events entry at the sender\'s level', ALL, (v) => bobChanges(v, (c) => (eventsOf(c)['m.room.topic'] = 50))),
  denyRow('9.6 changing an events entry that is above the sender', ALL, 'current events["m.room.name"] exceeds', (v) =>
    bobChanges(v, (c) => (eventsOf(c)['m.room.name'] = 10), { events: { 'm.room.name': 70 } }),
  ),
  denyRow('9.6 removing an events entry that is above the sender', ALL, 'current events["m.room.name"] exceeds', (v) =>
    bobChanges(v, (c) => delete eventsOf(c)['m.room.name'], { events: { 'm.room.name': 70 } }),
  ),
  allow('9.6 changing an events entry within the sender\'s level', ALL, (v) => bobChanges(v, (c) => (eventsOf(c)['m.room.name'] = 40), { events: { 'm.room.name': 30 } })),
  allow('9.6 an unchanged events entry above the sender', ALL, (v) => bobChanges(v, (c) => (eventsOf(c)['m.room.topic'] = 0), { events: { 'm.room.name': 70 } })),
  allow('9.6 an events key named __proto__ is ordinary data', ALL, (v) => bobChanges(v, (c) => (c.events = JSON.parse('{"__proto__": 10}')))),
  denyRow('9.7 an events key named __proto__ is still checked', ALL, 'new events["__proto__"] exceeds', (v) => bobChanges(v, (c) => (c.events = JSON.parse('{"__proto__": 99}')))),
  denyRow('9.6 (v6+) changing notifications above the sender', from(6), 'current notifications["room"] exceeds', (v) =>
    bobChanges(v, (c) => (c.notifications = { room: 10 }), { notifications: { room: 60 } }),
  ),
  denyRow('9.7 (v6+) adding notifications above the sender', from(6), 'new notifications["room"] exceeds', (v) => bobChanges(v, (c) => (c.notifications = { room: 100 }))),
  allow('9.7 (v6+) notifications within the sender\'s level', from(6), (v) => bobChanges(v, (c) => (c.notifications = { room: 50 }), { notifications: { room: 20 } })),
  allow('(v1–v5) notifications are not checked: raising above the sender', upTo(5), (v) => bobChanges(v, (c) => (c.notifications = { room: 100 }))),
  allow('(v1–v5) notifications are not checked: changing one above the sender', upTo(5), (v) =>
    bobChanges(v, (c) => (c.notifications = { room: 0 }), { notifications: { room: 99 } }),
  ),

  // users.
  denyRow('9.8 demoting an equal', ALL, 'not below the sender', (v) => bobChanges(v, (c) => (usersOf(c)[CAROL] = 10), {}, { [CAROL]: 50 })),
  denyRow('9.8 demoting a superior', ALL, 'not below the sender', (v) => bobChanges(v, (c) => (usersOf(c)[DAVE] = 10))),
  denyRow('9.8 removing a superior', ALL, 'not below the sender', (v) => bobChanges(v, (c) => delete usersOf(c)[DAVE])),
  allow('9.8 demoting a lower user', ALL, (v) => bobChanges(v, (c) => (usersOf(c)[CAROL] = 0))),
  allow('9.8 removing a lower user', ALL, (v) => bobChanges(v, (c) => delete usersOf(c)[CAROL])),
  allow('9.9 promoting a lower user to the sender\'s level', ALL, (v) => bobChanges(v, (c) => (usersOf(c)[CAROL] = 50))),
  denyRow('9.9 promoting a lower user above the sender', ALL, 'cannot raise', (v) => bobChanges(v, (c) => (usersOf(c)[CAROL] = 51))),
  allow('9.9 adding a new user at the sender\'s level', ALL, (v) => bobChanges(v, (c) => (usersOf(c)['@new:n.example'] = 50))),
  denyRow('9.9 adding a new user above the sender', ALL, 'cannot raise', (v) => bobChanges(v, (c) => (usersOf(c)['@new:n.example'] = 51))),
  allow('9.8 the sender demotes themselves', ALL, (v) => bobChanges(v, (c) => (usersOf(c)[BOB] = 0))),
  allow('9.8 the sender removes their own entry', ALL, (v) => bobChanges(v, (c) => delete usersOf(c)[BOB])),
  denyRow('9.9 the sender promotes themselves', ALL, 'cannot raise', (v) => bobChanges(v, (c) => (usersOf(c)[BOB] = 51))),
  allow('9.8 resending the same levels with superiors listed', ALL, (v) => bobChanges(v, () => {})),
  allow('9.8 (v1–v9) "60" → 60 for a superior is not a change', upTo(9), (v) => bobChanges(v, (c) => (usersOf(c)[DAVE] = 60), {}, { [DAVE]: '60' })),
  allow('9.8 (v1–v11) the creator at 100 demotes another 99', upTo(11), (v) => {
    const { r, base } = staff(v, {}, { [DAVE]: 99 });
    return r.build(pl(ALICE, { ...base, users: { ...usersOf(base), [DAVE]: 0 } }));
  }),
  denyRow('9.8 (v1–v11) an admin at 100 cannot demote another admin at 100', upTo(11), 'not below the sender', (v) => {
    const { r, base } = staff(v, {}, { [DAVE]: 100 });
    return r.build(pl(ALICE, { ...base, users: { ...usersOf(base), [DAVE]: 0 } }));
  }),
  allow('9.8 (v12) a creator demotes anyone: infinite power', from(12), (v) => {
    const { r, base } = staff(v, {}, { [DAVE]: Number.MAX_SAFE_INTEGER });
    return r.build(pl(ALICE, { ...base, users: { ...usersOf(base), [DAVE]: 0 } }));
  }),
  allow('9.9 (v12) a creator grants the largest level', from(12), (v) => {
    const { r, base } = staff(v);
    return r.build(pl(ALICE, { ...base, users: { ...usersOf(base), [BOB]: Number.MAX_SAFE_INTEGER }, ban: Number.MAX_SAFE_INTEGER }));
  }),

  // Getting to the change rules at all.
  denyRow('7 below the level required for m.room.power_levels (state_default)', ALL, 'required for m.room.power_levels', (v) =>
    bobChanges(v, (c) => (c.ban = 40), { state_default: 51 }),
  ),
  denyRow('7 below an explicit events["m.room.power_levels"]', ALL, 'required for m.room.power_levels', (v) =>
    bobChanges(v, () => {}, { events: { 'm.room.power_levels': 100 } }),
  ),
  denyRow('5 a non-member cannot change power levels', ALL, 'not joined', (v) => {
    const { r, base } = staff(v);
    r.leave(DAVE);
    return r.build(pl(DAVE, base));
  }),
  allow('(v1–v11) with no power levels event the creator has 100', upTo(11), (v) => firstPl(v, { users: { [ALICE]: 100 } })),
  denyRow('with no power levels event other members have 0 < state_default 50', ALL, 'required for m.room.power_levels', (v) => {
    const r = bareRoom(v);
    r.join(ALICE);
    r.joinRules(ALICE, 'public');
    r.join(BOB);
    return r.build(pl(BOB, { users: {} }));
  }),
  denyRow('8 a power levels event with a user state_key', ALL, /state_key|required/, (v) => {
    const { r, base } = staff(v);
    return r.build({ ...pl(ALICE, base), state_key: BOB });
  }),
];

runTable('m.room.power_levels', rows);
