// Rule 1: m.room.create.
import { describe, expect, it } from 'vitest';
import { checkAuth } from '../../../src/protocol/auth/index.ts';
import { RoomBuilder } from '../../helpers/room-builder.ts';
import { ALICE, ALL, BOB, allow, denyRow, from, runTable, upTo, type Row } from './table.ts';

/** The create event of a fresh room, with changes applied. */
function create(v: string, change: (event: Record<string, unknown>) => void = () => {}, options: ConstructorParameters<typeof RoomBuilder>[2] = {}) {
  const event: Record<string, unknown> = structuredClone(new RoomBuilder(v, ALICE, options).create);
  change(event);
  return { event, state: [] };
}

const content = (event: Record<string, unknown>) => event.content as Record<string, unknown>;

const rows: Row[] = [
  allow('1.5 a well-formed create event', ALL, (v) => create(v)),
  allow('1.1 prev_events absent counts as none', ALL, (v) => create(v, (e) => delete e.prev_events)),
  denyRow('1.1 any prev_events', ALL, 'prev_events', (v) => create(v, (e) => (e.prev_events = upTo(2).includes(v) ? [['$x:a.example', {}]] : ['$x']))),
  denyRow('1.1 prev_events malformed', ALL, 'prev_events', (v) => create(v, (e) => (e.prev_events = 'nope'))),
  denyRow('1.2 room_id domain differs from the sender domain', upTo(11), 'room_id domain', (v) => create(v, (e) => (e.room_id = '!room:b.example'))),
  denyRow('1.2 room_id without a domain', upTo(11), 'room_id has no domain', (v) => create(v, (e) => (e.room_id = '!room'))),
  denyRow('1.2 room_id missing', upTo(11), 'room_id', (v) => create(v, (e) => delete e.room_id)),
  allow('1.2 room_id domain with a port matches the sender domain with the same port', upTo(11), (v) =>
    create(v, (e) => {
      e.sender = '@alice:a.example:8448';
      e.room_id = '!room:a.example:8448';
      if (content(e).creator) content(e).creator = '@alice:a.example:8448';
    }),
  ),
  denyRow('1.2 (v12) a create event with a room_id', from(12), 'has a room_id', (v) => create(v, (e) => (e.room_id = '!create'))),
  allow('1.2 (v12) the room ID domain rule is gone: any sender server', from(12), (v) => create(v, (e) => (e.sender = BOB))),
  denyRow('1.3 unrecognised content.room_version', ALL, 'room_version', (v) => create(v, (e) => (content(e).room_version = '99'))),
  denyRow('1.3 non-string content.room_version', ALL, 'room_version', (v) => create(v, (e) => (content(e).room_version = 10))),
  allow('1.3 content.room_version absent', ALL, (v) => create(v, (e) => delete content(e).room_version)),
  allow('1.3 a recognised room_version other than the room version itself', ALL, (v) => create(v, (e) => (content(e).room_version = '1'))),
  denyRow('1.4 (v1–v10) content without creator', upTo(10), 'creator', (v) => create(v, (e) => delete content(e).creator)),
  allow('1.4 (v11+) content without creator', from(11), (v) => create(v)),
  allow('1.4 (v11+) a stray creator property is ignored', from(11), (v) => create(v, (e) => (content(e).creator = BOB))),
  allow('1.4 (v1–v10) creator is only required to be present', upTo(10), (v) => create(v, (e) => (content(e).creator = BOB))),
  allow('1.4 (v12) additional_creators of valid user IDs', from(12), (v) => create(v, () => {}, { createContent: { additional_creators: [BOB, '@carol:c.example'] } })),
  allow('1.4 (v12) empty additional_creators', from(12), (v) => create(v, () => {}, { createContent: { additional_creators: [] } })),
  allow('1.4 (v12) historical user ID in additional_creators', from(12), (v) => create(v, () => {}, { createContent: { additional_creators: ['@Old User!:b.example'] } })),
  denyRow('1.4 (v12) additional_creators not an array', from(12), 'additional_creators', (v) => create(v, () => {}, { createContent: { additional_creators: BOB } })),
  denyRow('1.4 (v12) additional_creators with a non-string', from(12), 'additional_creators', (v) => create(v, () => {}, { createContent: { additional_creators: [BOB, 5] } })),
  denyRow('1.4 (v12) additional_creators with an invalid user ID', from(12), 'additional_creators', (v) => create(v, () => {}, { createContent: { additional_creators: ['bob'] } })),
  denyRow('1.4 (v12) additional_creators with a bad server name', from(12), 'additional_creators', (v) => create(v, () => {}, { createContent: { additional_creators: ['@bob:bad_server!'] } })),
  denyRow('1.4 (v12) additional_creators null', from(12), 'additional_creators', (v) => create(v, () => {}, { createContent: { additional_creators: null } })),
  allow('1.4 (v1–v11) additional_creators is not validated', upTo(11), (v) => create(v, () => {}, { createContent: { additional_creators: 'junk' } })),
  allow('1 create events are judged alone: auth_events are not considered', ALL, (v) => create(v, (e) => (e.auth_events = ['$junk']))),
  denyRow('sender must be a user ID', ALL, 'sender', (v) => create(v, (e) => (e.sender = 'alice'))),
  allow('1 m.federate false on the create event itself', ALL, (v) => create(v, () => {}, { createContent: { 'm.federate': false } })),
];

runTable('m.room.create', rows);

describe('m.room.create room_id domain', () => {
  it.each(upTo(11))('v%s: is compared exactly (case-sensitive)', (v) => {
    const { event } = create(v, (e) => (e.room_id = '!room:A.example'));
    expect(checkAuth(event, [], v).allowed).toBe(false);
  });
});
