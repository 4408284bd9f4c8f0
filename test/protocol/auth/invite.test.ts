// Membership "invite": ordinary invites (power, sender and target membership) and
// third-party invites with the identity server's signature over `signed`.
import { encodeBase64, encodeBase64Url } from '../../../src/protocol/base64.ts';
import { publicKeyOfSeed, signJson } from '../../../src/protocol/signing.ts';
import { ALICE, ALL, BOB, CAROL, DAVE, allow, denyRow, from, member, room, runTable, upTo, isV12, type Row } from './table.ts';

const SEED = new Uint8Array(32).fill(7);
const OTHER_SEED = new Uint8Array(32).fill(9);
const PUBLIC_KEY = publicKeyOfSeed(SEED);
const OTHER_PUBLIC_KEY = publicKeyOfSeed(OTHER_SEED);
const TOKEN = 'tok3n';

function signed(fields: Record<string, unknown> = { mxid: BOB, token: TOKEN }, seed = SEED) {
  return signJson(fields, 'id.example', 'ed25519:0', seed);
}

const tpiContent = (keys: Record<string, unknown> = { public_key: encodeBase64(PUBLIC_KEY) }) => ({
  display_name: 'b***@example.org',
  key_validity_url: 'https://id.example/_matrix/identity/v2/pubkey/isvalid',
  ...keys,
});

/** A room where ALICE made an m.room.third_party_invite for TOKEN. */
function tpiRoom(v: string, keys?: Record<string, unknown>, options: Parameters<typeof room>[1] = {}) {
  const r = room(v, options);
  r.state(ALICE, 'm.room.third_party_invite', TOKEN, tpiContent(keys));
  return r;
}

const tpInvite = (thirdPartyInvite: unknown, sender = ALICE, target = BOB) =>
  member(sender, target, 'invite', { third_party_invite: thirdPartyInvite });
const goodInvite = () => tpInvite({ display_name: 'b***', signed: signed() });
const adminOnly = (v: string) => (isV12(v) ? {} : { [ALICE]: 100 });

function withBobJoined(v: string, powerLevels?: Record<string, unknown>) {
  const r = room(v, powerLevels ? { powerLevels } : {});
  r.invite(ALICE, BOB);
  r.join(BOB);
  return r;
}

const rows: Row[] = [
  // 4.4.2–4.4.5 ordinary invites.
  allow('4.4 a joined member invites a stranger (invite level defaults to 0)', ALL, (v) => withBobJoined(v).build(member(BOB, CAROL, 'invite'))),
  allow('4.4 the creator invites', ALL, (v) => room(v).build(member(ALICE, BOB, 'invite'))),
  allow('4.4 re-inviting an invited user', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'invite'));
  }),
  allow('4.4 inviting a user who left', ALL, (v) => {
    const r = withBobJoined(v);
    r.leave(BOB);
    return r.build(member(ALICE, BOB, 'invite'));
  }),
  allow('4.4 inviting a user who rejected an invite', ALL, (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    r.leave(BOB);
    return r.build(member(ALICE, BOB, 'invite'));
  }),
  allow('4.4 (v7+) accepting a knock with an invite', from(7), (v) => {
    const r = room(v, { joinRule: 'knock' });
    r.knock(BOB);
    return r.build(member(ALICE, BOB, 'invite'));
  }),
  denyRow('4.2 an invited (not joined) user cannot invite', ALL, 'not joined', (v) => {
    const r = room(v);
    r.invite(ALICE, BOB);
    return r.build(member(BOB, CAROL, 'invite'));
  }),
  denyRow('4.2 a stranger cannot invite', ALL, 'not joined', (v) => room(v).build(member(BOB, CAROL, 'invite'))),
  denyRow('4.2 a user who left cannot invite', ALL, 'not joined', (v) => {
    const r = withBobJoined(v);
    r.leave(BOB);
    return r.build(member(BOB, CAROL, 'invite'));
  }),
  denyRow('4.2 a banned user cannot invite', ALL, 'not joined', (v) => {
    const r = withBobJoined(v);
    r.ban(ALICE, BOB);
    return r.build(member(BOB, CAROL, 'invite'));
  }),
  denyRow('4.3 inviting a joined user', ALL, 'already joined', (v) => withBobJoined(v).build(member(ALICE, BOB, 'invite'))),
  denyRow('4.3 inviting oneself while joined', ALL, 'already joined', (v) => room(v).build(member(ALICE, ALICE, 'invite'))),
  denyRow('4.3 inviting a banned user', ALL, 'already banned', (v) => {
    const r = room(v);
    r.ban(ALICE, BOB);
    return r.build(member(ALICE, BOB, 'invite'));
  }),
  denyRow('4.5 sender below the invite level', ALL, 'invite level', (v) => withBobJoined(v, { users: adminOnly(v), invite: 50 }).build(member(BOB, CAROL, 'invite'))),
  allow('4.4 sender exactly at the invite level', ALL, (v) => withBobJoined(v, { users: { ...adminOnly(v), [BOB]: 50 }, invite: 50 }).build(member(BOB, CAROL, 'invite'))),
  allow('4.4 negative invite level lets users_default -1 invite', ALL, (v) => withBobJoined(v, { users: adminOnly(v), users_default: -1, invite: -1 }).build(member(BOB, CAROL, 'invite'))),
  denyRow('4.5 users_default below a default invite level of 0', ALL, 'invite level', (v) => withBobJoined(v, { users: adminOnly(v), users_default: -1 }).build(member(BOB, CAROL, 'invite'))),
  allow('4.4 (v12) a creator needs no level: infinite power', from(12), (v) => room(v, { powerLevels: { users: {}, invite: 9007199254740991 } }).build(member(ALICE, BOB, 'invite'))),
  denyRow('4.5 (v1–v11) the creator at 100 is below an invite level of 101', upTo(11), 'invite level', (v) =>
    room(v, { powerLevels: { users: { [ALICE]: 100 }, invite: 101 } }).build(member(ALICE, BOB, 'invite')),
  ),
  allow('4.4 (v1–v9) string levels: "50" meets invite "50"', upTo(9), (v) => withBobJoined(v, { users: { [ALICE]: '100', [BOB]: '50' }, invite: ' +050 ' }).build(member(BOB, CAROL, 'invite'))),

  // 4.4.1 third-party invites.
  allow('4.1.7 signed by the public_key of the m.room.third_party_invite', ALL, (v) => tpiRoom(v).build(goodInvite())),
  allow('4.1.7 signed by a key listed only in public_keys', ALL, (v) =>
    tpiRoom(v, { public_key: encodeBase64(OTHER_PUBLIC_KEY), public_keys: [{ public_key: encodeBase64(PUBLIC_KEY) }] }).build(goodInvite()),
  ),
  allow('4.1.7 public key in URL-safe base64', ALL, (v) => {
    // A key whose standard encoding has + or /, so the URL-safe form differs.
    const seed = new Uint8Array(32).fill(3);
    const key = publicKeyOfSeed(seed);
    return tpiRoom(v, { public_key: encodeBase64Url(key) }).build(tpInvite({ display_name: 'b', signed: signed(undefined, seed) }));
  }),
  allow('4.1.7 one of several signatures matches', ALL, (v) => {
    const doubly = signJson(signed({ mxid: BOB, token: TOKEN }, OTHER_SEED), 'id.example', 'ed25519:1', SEED);
    return tpiRoom(v).build(tpInvite({ display_name: 'b', signed: doubly }));
  }),
  allow('4.1 the third-party path does not require the sender to be joined (spec order)', ALL, (v) => {
    const r = tpiRoom(v);
    r.invite(ALICE, DAVE);
    r.join(DAVE);
    r.state(DAVE, 'm.room.third_party_invite', 'dave-token', tpiContent(), { id: 'tpi-dave' });
    r.leave(DAVE);
    return r.build(tpInvite({ display_name: 'b', signed: signed({ mxid: BOB, token: 'dave-token' }) }, DAVE));
  }),
  allow('4.1 the third-party path does not check the target is not joined (spec order)', ALL, (v) => {
    const r = tpiRoom(v);
    r.invite(ALICE, BOB);
    r.join(BOB);
    return r.build(goodInvite());
  }),
  denyRow('4.1.1 the target is banned', ALL, 'banned', (v) => {
    const r = tpiRoom(v);
    r.ban(ALICE, BOB);
    return r.build(goodInvite());
  }),
  denyRow('4.1.2 third_party_invite without signed', ALL, 'no signed', (v) => tpiRoom(v).build(tpInvite({ display_name: 'b' }))),
  denyRow('4.1.2 third_party_invite is null', ALL, 'no signed', (v) => tpiRoom(v).build(tpInvite(null))),
  denyRow('4.1.2 signed is a string', ALL, 'no signed', (v) => tpiRoom(v).build(tpInvite({ signed: 'x' }))),
  denyRow('4.1.3 signed without mxid', ALL, 'mxid or token', (v) => tpiRoom(v).build(tpInvite({ signed: signed({ token: TOKEN }) }))),
  denyRow('4.1.3 signed without token', ALL, 'mxid or token', (v) => tpiRoom(v).build(tpInvite({ signed: signed({ mxid: BOB }) }))),
  denyRow('4.1.3 signed token not a string', ALL, 'mxid or token', (v) => tpiRoom(v).build(tpInvite({ signed: signed({ mxid: BOB, token: 5 }) }))),
  denyRow('4.1.4 signed.mxid is not the state_key', ALL, 'mxid does not match', (v) => tpiRoom(v).build(tpInvite({ signed: signed({ mxid: CAROL, token: TOKEN }) }))),
  denyRow('4.1.5 no m.room.third_party_invite for the token', ALL, 'no m.room.third_party_invite', (v) =>
    tpiRoom(v).build(tpInvite({ signed: signed({ mxid: BOB, token: 'other' }) })),
  ),
  denyRow('4.1.6 the sender is not the sender of the m.room.third_party_invite', ALL, 'sender differs', (v) => {
    const r = tpiRoom(v);
    r.invite(ALICE, DAVE);
    r.join(DAVE);
    return r.build(tpInvite({ signed: signed() }, DAVE));
  }),
  denyRow('4.1.8 signed by another key', ALL, 'not signed by any key', (v) => tpiRoom(v).build(tpInvite({ signed: signed(undefined, OTHER_SEED) }))),
  denyRow('4.1.8 signed altered after signing', ALL, 'not signed by any key', (v) => tpiRoom(v).build(tpInvite({ signed: { ...signed(), extra: 'added' } }))),
  denyRow('4.1.8 signed has no signatures', ALL, 'not signed by any key', (v) => tpiRoom(v).build(tpInvite({ signed: { mxid: BOB, token: TOKEN } }))),
  denyRow('4.1.8 signatures is malformed', ALL, 'not signed by any key', (v) => tpiRoom(v).build(tpInvite({ signed: { mxid: BOB, token: TOKEN, signatures: { 'id.example': 'x' } } }))),
  denyRow('4.1.8 a signature that is not base64', ALL, 'not signed by any key', (v) =>
    tpiRoom(v).build(tpInvite({ signed: { mxid: BOB, token: TOKEN, signatures: { 'id.example': { 'ed25519:0': '!!!' } } } })),
  ),
  denyRow('4.1.8 the m.room.third_party_invite has no usable key', ALL, 'not signed by any key', (v) => tpiRoom(v, { public_key: 'not base64!' }).build(goodInvite())),
  denyRow('4.1.8 the m.room.third_party_invite has no keys at all', ALL, 'not signed by any key', (v) => tpiRoom(v, {}).build(goodInvite())),
  denyRow('4.1.8 public_keys entries that are not objects', ALL, 'not signed by any key', (v) => tpiRoom(v, { public_keys: [encodeBase64(PUBLIC_KEY), null] }).build(goodInvite())),
  denyRow('4.1.8 a 31-byte public key', ALL, 'not signed by any key', (v) => tpiRoom(v, { public_key: encodeBase64(PUBLIC_KEY.subarray(1)) }).build(goodInvite())),
  denyRow('4.1.8 too many signatures to try are not all tried', ALL, 'not signed by any key', (v) => {
    // 70 wrong signatures before the right one: the verification budget runs out first.
    let block: Record<string, unknown> = { mxid: BOB, token: TOKEN };
    for (let i = 0; i < 70; i++) block = signJson(block, `a${String(i).padStart(3, '0')}.example`, 'ed25519:0', OTHER_SEED);
    block = signJson(block, 'z.example', 'ed25519:0', SEED);
    return tpiRoom(v).build(tpInvite({ signed: block }));
  }),
  denyRow('3 m.federate false applies to third-party invites by remote senders', ALL, 'not federated', (v) => {
    const r = room(v, { createContent: { 'm.federate': false }, joinRule: 'public' });
    r.state(ALICE, 'm.room.third_party_invite', TOKEN, tpiContent());
    return r.build(tpInvite({ signed: signed({ mxid: BOB, token: TOKEN }) }, BOB));
  }),
];

runTable('membership invite', rows);
