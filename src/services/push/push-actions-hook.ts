// Push rule evaluation on the persist path (spec push module "Server behaviour": "When
// receiving a new event homeservers process push rules for each of the local users in the
// room (excluding the sender)"), as a persist hook (services/rooms/persist-hooks.ts).
//
// Where it runs, and why: the rules are evaluated in the hook's prepare phase — in the
// room's queue, before the event is written, against the room's state before the event
// — and the resulting notifications are inserted by the event's own append statement. So:
//   - nothing is lost: the notifications commit with the event or not at all, and no
//     recovery job is needed after a crash;
//   - "the updated notification count from a new event MUST appear in the same /sync
//     response as the event itself" holds by construction;
//   - the tenant-wide stream-position lock held by the append statement grows by one multi-row
//     insert only; the reads (versions of the recipients' rules, state when it changed,
//     relations of threaded events, ignore lists) and the evaluation happen before it.
// The cost is a few milliseconds on the sender's request, bounded by the cached compiled
// rulesets and the per-state-group room context.
//
// Recipients: the room's joined local members except the sender, plus the local target of
// an invite (for .m.rule.invite_for_me); users who ignore the sender are skipped. The
// sender, if local, has read up to their own event ("when the user updates their read
// receipt (either by using the API or by sending an event)"): their read mark for the
// event's thread moves to it.
import { preparePushEvent, type PushContext } from '../../protocol/push/index.ts';
import type { Pdu } from '../../protocol/types.ts';
import { insertPushActionsWrite, type NewPushAction } from '../../storage/push/push-actions.ts';
import { advanceReadMarkWrite } from '../../storage/push/read-marks.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { PersistHook, PersistHookWrite, PersistingEvent } from '../rooms/persist-hooks.ts';
import { isLocalUser, pushRoomContext, senderPowerLevel, type PushRoomContext } from './room-context.ts';
import { usersIgnoringSender } from './ignore-lists-memo.ts';
import { pushRulesOf } from './rules-cache.ts';
import { threadOfEvent } from './thread-of-event.ts';

/** The local invitee of an invite event who is not joined yet, with the name it carries. */
function localInvitee(tenant: TenantContext, pdu: Pdu, context: PushRoomContext): { userId: string; displayName?: string } | undefined {
  if (pdu.type !== 'm.room.member' || typeof pdu.state_key !== 'string') return undefined;
  const content = pdu.content as Record<string, unknown>;
  if (content['membership'] !== 'invite' || context.localMembers.has(pdu.state_key) || !isLocalUser(tenant, pdu.state_key)) return undefined;
  const name = content['displayname'];
  return typeof name === 'string' ? { userId: pdu.state_key, displayName: name } : { userId: pdu.state_key };
}

/** The notifications the event produces: one entry per recipient whose rules say notify. */
async function evaluateRecipients(tenant: TenantContext, pdu: Pdu, context: PushRoomContext): Promise<NewPushAction[]> {
  const recipients = new Map<string, string | undefined>();
  for (const [userId, displayName] of context.localMembers) if (userId !== pdu.sender) recipients.set(userId, displayName);
  const invitee = localInvitee(tenant, pdu, context);
  if (invitee && invitee.userId !== pdu.sender) recipients.set(invitee.userId, invitee.displayName);
  if (recipients.size === 0) return [];

  const userIds = [...recipients.keys()];
  const [rules, ignoring] = await Promise.all([pushRulesOf(tenant, userIds), usersIgnoringSender(tenant, userIds, pdu.sender)]);
  const event = preparePushEvent(pdu);
  const senderLevel = senderPowerLevel(context, pdu.sender);
  const notifications: NewPushAction[] = [];
  for (const [userId, displayName] of recipients) {
    const compiled = rules.get(userId)?.compiled;
    if (!compiled || ignoring.has(userId)) continue;
    const pushContext: PushContext = {
      userId,
      roomMemberCount: context.joinedCount,
      senderPowerLevel: senderLevel,
      notificationPowerLevels: context.notificationLevels,
      ...(displayName !== undefined ? { displayName } : {}),
    };
    const outcome = compiled.evaluate(event, pushContext);
    if (outcome.notify) notifications.push({ userId, highlight: outcome.highlight, actions: outcome.actions });
  }
  return notifications;
}

async function prepare(tenant: TenantContext, event: PersistingEvent): Promise<PersistHookWrite | undefined> {
  const { pdu, roomId } = event;
  const senderIsLocal = isLocalUser(tenant, pdu.sender);
  // The create event: nobody is in the room yet.
  const context = event.stateGroupBefore === null ? undefined : await pushRoomContext(tenant, roomId, event.stateGroupBefore);
  const notifications = context ? await evaluateRecipients(tenant, pdu, context) : [];
  if (notifications.length === 0 && !senderIsLocal) return undefined;
  const threadId = await threadOfEvent(tenant, pdu);
  const notifiedTs = Date.now();
  return [
    ...(notifications.length > 0 ? [insertPushActionsWrite({ eventId: event.eventId, roomId, threadId, notifiedTs, recipients: notifications })] : []),
    ...(senderIsLocal ? [advanceReadMarkWrite({ userId: pdu.sender, roomId, threadId })] : []),
  ];
}

export const pushActionsHook: PersistHook = { name: 'push-actions', prepare };
