// The server-default rules ("Predefined Rules"), in the spec's order. Spec v1.17 removed the
// legacy body-mention rules (.m.rule.contains_display_name, .m.rule.contains_user_name,
// .m.rule.roomnotif; MSC4210), so there are no default content rules.
import type { PushAction, PushCondition, PushRule, PushRules } from './types.ts';

function eventMatch(key: string, pattern: string): PushCondition {
  return { kind: 'event_match', key, pattern };
}

const NOTIFY_SOUND: readonly PushAction[] = ['notify', { set_tweak: 'sound', value: 'default' }];
const NOTIFY_HIGHLIGHT: readonly PushAction[] = ['notify', { set_tweak: 'highlight' }];

function rule(ruleId: string, conditions: PushCondition[], actions: readonly PushAction[], enabled = true): PushRule {
  return { rule_id: ruleId, default: true, enabled, conditions, actions: [...actions] };
}

function overrideRules(userId: string): PushRule[] {
  return [
    rule('.m.rule.master', [], [], false),
    rule('.m.rule.suppress_notices', [eventMatch('content.msgtype', 'm.notice')], []),
    rule(
      '.m.rule.invite_for_me',
      [eventMatch('type', 'm.room.member'), eventMatch('content.membership', 'invite'), eventMatch('state_key', userId)],
      NOTIFY_SOUND,
    ),
    rule('.m.rule.member_event', [eventMatch('type', 'm.room.member')], []),
    rule(
      '.m.rule.is_user_mention',
      [{ kind: 'event_property_contains', key: 'content.m\\.mentions.user_ids', value: userId }],
      [...NOTIFY_SOUND, { set_tweak: 'highlight' }],
    ),
    rule(
      '.m.rule.is_room_mention',
      [
        { kind: 'event_property_is', key: 'content.m\\.mentions.room', value: true },
        { kind: 'sender_notification_permission', key: 'room' },
      ],
      NOTIFY_HIGHLIGHT,
    ),
    rule('.m.rule.tombstone', [eventMatch('type', 'm.room.tombstone'), eventMatch('state_key', '')], NOTIFY_HIGHLIGHT),
    rule('.m.rule.reaction', [eventMatch('type', 'm.reaction')], []),
    rule('.m.rule.room.server_acl', [eventMatch('type', 'm.room.server_acl'), eventMatch('state_key', '')], []),
    rule('.m.rule.suppress_edits', [{ kind: 'event_property_is', key: 'content.m\\.relates_to.rel_type', value: 'm.replace' }], []),
  ];
}

function underrideRules(): PushRule[] {
  const oneToOne: PushCondition = { kind: 'room_member_count', is: '2' };
  return [
    rule('.m.rule.call', [eventMatch('type', 'm.call.invite')], ['notify', { set_tweak: 'sound', value: 'ring' }]),
    rule('.m.rule.encrypted_room_one_to_one', [oneToOne, eventMatch('type', 'm.room.encrypted')], NOTIFY_SOUND),
    rule('.m.rule.room_one_to_one', [oneToOne, eventMatch('type', 'm.room.message')], NOTIFY_SOUND),
    rule('.m.rule.message', [eventMatch('type', 'm.room.message')], ['notify']),
    rule('.m.rule.encrypted', [eventMatch('type', 'm.room.encrypted')], ['notify']),
  ];
}

/** The predefined rules for `userId`, shaped as GET /pushrules/ returns them. Fresh objects on
 * every call. */
export function defaultPushRules(userId: string): PushRules {
  return {
    global: { override: overrideRules(userId), content: [], room: [], sender: [], underride: underrideRules() },
  };
}

/** The one server-default rule that outranks user rules ("Predefined Rules"). */
export const MASTER_RULE_ID = '.m.rule.master';
