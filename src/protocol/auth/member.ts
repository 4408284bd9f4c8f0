// Rule "If type is m.room.member": join, invite, leave, ban and (v7+) knock.
import { hasOwnKey, own, ownString, type JsonRecord } from './json.ts';
import { contentOf, referencedIds } from './event-fields.ts';
import { userIdDomain } from './user-id.ts';
import { checkThirdPartyInvite } from './third-party-invite.ts';
import { ALLOW, deny, type CheckResult } from './result.ts';
import type { AuthStateView } from './state.ts';

interface MemberEvent {
  event: JsonRecord;
  content: JsonRecord;
  sender: string;
  target: string;
}

export function checkMember(event: JsonRecord, sender: string, state: AuthStateView): CheckResult {
  const content = contentOf(event) ?? {};
  const target = own(event, 'state_key');
  // 1. A member event names its user and a membership.
  if (typeof target !== 'string' || !hasOwnKey(content, 'membership')) {
    return deny('member: no state_key or no content.membership');
  }
  // 2. (v8+) join_authorised_via_users_server must name a user whose server signed the
  // event. The signature itself is verified before the rules run (requiredSignatories lists
  // that server); here it is enough that the value is a user ID with a server.
  if (state.rules.version.restrictedJoins && hasOwnKey(content, 'join_authorised_via_users_server')) {
    if (userIdDomain(own(content, 'join_authorised_via_users_server')) === undefined) {
      return deny('member: join_authorised_via_users_server is not a valid user ID');
    }
  }
  const member: MemberEvent = { event, content, sender, target };
  switch (own(content, 'membership')) {
    case 'join':
      return checkJoin(member, state);
    case 'invite':
      return checkInvite(member, state);
    case 'leave':
      return checkLeave(member, state);
    case 'ban':
      return checkBan(member, state);
    case 'knock':
      if (state.rules.version.knocking) return checkKnock(member, state);
      return deny('member: knock is not a membership in this room version');
    default:
      return deny('member: unknown membership');
  }
}

/** "If the only previous event is an m.room.create and the state_key is the creator". */
function isCreatorsFirstJoin({ event, target }: MemberEvent, state: AuthStateView): boolean {
  const create = state.create;
  const createId = ownString(create, 'event_id');
  const prev = referencedIds(own(event, 'prev_events'));
  if (createId === undefined || prev?.length !== 1 || prev[0] !== createId) return false;
  // v1–v10: content.creator; v11+: the create event's sender (v12 additional creators
  // join like anyone else).
  const creator = state.rules.creatorInContent ? ownString(contentOf(create), 'creator') : ownString(create, 'sender');
  return creator !== undefined && creator === target;
}

function checkJoin(member: MemberEvent, state: AuthStateView): CheckResult {
  const { content, sender, target } = member;
  const version = state.rules.version;
  if (isCreatorsFirstJoin(member, state)) return ALLOW;
  if (sender !== target) return deny('join: sender does not match state_key');
  const current = state.membership(sender);
  if (current === 'ban') return deny('join: sender is banned');
  const alreadyIn = current === 'invite' || current === 'join';
  const joinRule = state.joinRule();

  if (joinRule === 'invite' || (version.knocking && joinRule === 'knock')) {
    return alreadyIn ? ALLOW : deny(`join: join rule is ${joinRule} and sender is not invited`);
  }
  if ((version.restrictedJoins && joinRule === 'restricted') || (version.knockRestricted && joinRule === 'knock_restricted')) {
    if (alreadyIn) return ALLOW;
    const authoriser = ownString(content, 'join_authorised_via_users_server');
    if (authoriser === undefined) return deny(`join: ${joinRule} join without join_authorised_via_users_server`);
    if (state.membership(authoriser) !== 'join') return deny('join: authorising user is not joined');
    if (state.userPower(authoriser) < state.powerLevels().invite) return deny('join: authorising user cannot invite');
    return ALLOW;
  }
  if (joinRule === 'public') return ALLOW;
  return deny(`join: join rule ${joinRule === undefined ? '(malformed)' : JSON.stringify(joinRule)} does not allow joining`);
}

function checkInvite(member: MemberEvent, state: AuthStateView): CheckResult {
  const { content, sender, target } = member;
  if (hasOwnKey(content, 'third_party_invite')) return checkThirdPartyInvite(content, sender, target, state);
  if (state.membership(sender) !== 'join') return deny('invite: sender is not joined');
  const targetMembership = state.membership(target);
  if (targetMembership === 'join' || targetMembership === 'ban') {
    return deny(`invite: target is already ${targetMembership === 'join' ? 'joined' : 'banned'}`);
  }
  if (state.userPower(sender) >= state.powerLevels().invite) return ALLOW;
  return deny("invite: sender's power level is below the invite level");
}

function checkLeave(member: MemberEvent, state: AuthStateView): CheckResult {
  const { sender, target } = member;
  if (sender === target) {
    // Leaving, rejecting an invite, or (v7+) retracting a knock.
    const current = state.membership(sender);
    const mayLeave = current === 'invite' || current === 'join' || (state.rules.version.knocking && current === 'knock');
    return mayLeave ? ALLOW : deny('leave: sender is not invited, joined or knocking');
  }
  if (state.membership(sender) !== 'join') return deny('kick: sender is not joined');
  const levels = state.powerLevels();
  const senderLevel = state.userPower(sender);
  if (state.membership(target) === 'ban' && senderLevel < levels.ban) {
    return deny("unban: sender's power level is below the ban level");
  }
  if (senderLevel >= levels.kick && state.userPower(target) < senderLevel) return ALLOW;
  return deny('kick: sender is below the kick level or not above the target');
}

function checkBan(member: MemberEvent, state: AuthStateView): CheckResult {
  const { sender, target } = member;
  if (state.membership(sender) !== 'join') return deny('ban: sender is not joined');
  const senderLevel = state.userPower(sender);
  if (senderLevel >= state.powerLevels().ban && state.userPower(target) < senderLevel) return ALLOW;
  return deny('ban: sender is below the ban level or not above the target');
}

function checkKnock(member: MemberEvent, state: AuthStateView): CheckResult {
  const { sender, target } = member;
  const joinRule = state.joinRule();
  const knockable = joinRule === 'knock' || (state.rules.version.knockRestricted && joinRule === 'knock_restricted');
  if (!knockable) return deny('knock: join rule does not allow knocking');
  if (sender !== target) return deny('knock: sender does not match state_key');
  const current = state.membership(sender);
  if (current === 'ban' || current === 'invite' || current === 'join') {
    return deny(`knock: sender is already ${current === 'ban' ? 'banned' : current === 'invite' ? 'invited' : 'joined'}`);
  }
  return ALLOW;
}
