// requiredSignatories: the servers whose signatures an event needs.
import { describe, expect, it } from 'vitest';
import { requiredSignatories } from '../../../src/protocol/auth/index.ts';
import { ALICE, ALL, BOB, CAROL, DAVE, from, member, room, upTo, between } from './table.ts';

describe('requiredSignatories', () => {
  it.each(ALL)("v%s: the sender's server", (v) => {
    const event = room(v).build({ type: 'm.room.message', sender: BOB, content: {} });
    expect(requiredSignatories(event, v)).toEqual(['b.example']);
  });
  it.each(upTo(2))('v%s: plus the event ID\'s server when it differs', (v) => {
    const event = room(v).build({ type: 'm.room.message', sender: BOB, content: {}, extra: { event_id: '$x:c.example' } });
    expect(requiredSignatories(event, v)).toEqual(['b.example', 'c.example']);
  });
  it.each(upTo(2))('v%s: an event ID without a domain cannot be placed', (v) => {
    expect(requiredSignatories({ type: 'm.room.message', sender: BOB, content: {}, event_id: '$nodomain' }, v)).toBeUndefined();
    expect(requiredSignatories({ type: 'm.room.message', sender: BOB, content: {} }, v)).toBeUndefined();
  });
  it.each(from(3))("v%s: an event_id's domain does not matter", (v) => {
    expect(requiredSignatories({ type: 'm.room.message', sender: BOB, content: {}, event_id: '$x:c.example' }, v)).toEqual(['b.example']);
    expect(requiredSignatories({ type: 'm.room.message', sender: BOB, content: {} }, v)).toEqual(['b.example']);
  });
  it.each(from(8))("v%s: a restricted join needs the authorising user's server", (v) => {
    const event = room(v).build(member(CAROL, CAROL, 'join', { join_authorised_via_users_server: ALICE }));
    expect(requiredSignatories(event, v)).toEqual(['c.example', 'a.example']);
  });
  it.each(from(8))('v%s: the authoriser key on any membership needs that server (rule 4.2 is not join-only)', (v) => {
    const event = room(v).build(member(CAROL, CAROL, 'leave', { join_authorised_via_users_server: ALICE }));
    expect(requiredSignatories(event, v)).toEqual(['c.example', 'a.example']);
  });
  it.each(from(8))('v%s: an authoriser on the sender\'s server adds nothing', (v) => {
    const event = room(v).build(member(DAVE, DAVE, 'join', { join_authorised_via_users_server: ALICE }));
    expect(requiredSignatories(event, v)).toEqual(['a.example']);
  });
  it.each(from(8))('v%s: an authoriser that is not a user ID is left to checkAuth', (v) => {
    const event = room(v).build(member(CAROL, CAROL, 'join', { join_authorised_via_users_server: 'alice' }));
    expect(requiredSignatories(event, v)).toEqual(['c.example']);
  });
  it.each(between(3, 7))('v%s: before restricted joins the key means nothing', (v) => {
    const event = room(v).build(member(CAROL, CAROL, 'join', { join_authorised_via_users_server: ALICE }));
    expect(requiredSignatories(event, v)).toEqual(['c.example']);
  });
  it.each(from(8))('v%s: the key on a non-member event means nothing', (v) => {
    const event = room(v).build({ type: 'm.room.message', sender: CAROL, content: { join_authorised_via_users_server: ALICE } });
    expect(requiredSignatories(event, v)).toEqual(['c.example']);
  });
  it.each(from(3))("v%s: a third-party invite needs the sender's (the inviter's) server", (v) => {
    const event = room(v).build(member(ALICE, BOB, 'invite', { third_party_invite: { signed: { mxid: BOB, token: 't' } } }));
    expect(requiredSignatories(event, v)).toEqual(['a.example']);
  });
  it.each(ALL)('v%s: a sender that is not a user ID makes the event unplaceable', (v) => {
    for (const sender of ['bob', '@bob', 5, undefined, '@bob:bad host']) {
      expect(requiredSignatories({ type: 'm.room.message', sender, content: {}, event_id: '$x:b.example' }, v)).toBeUndefined();
    }
  });
  it('an unknown room version', () => {
    expect(requiredSignatories({ type: 'm.room.message', sender: BOB, content: {} }, '0')).toBeUndefined();
  });
  it.each(ALL)('v%s: never throws on junk', (v) => {
    for (const junk of [null, 5, 'x', [], { content: null, sender: BOB, type: 'm.room.member', event_id: '$a:b' }]) {
      expect(() => requiredSignatories(junk, v)).not.toThrow();
    }
  });
});
