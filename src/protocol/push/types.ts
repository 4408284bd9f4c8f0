// Push rule shapes (client-server API "Push Rules"; definitions push_rule.yaml,
// push_condition.yaml, push_ruleset.yaml). Rules read back from storage are treated as
// untrusted too: compilation skips what it cannot understand instead of throwing.
import type { JsonValue } from '../types.ts';

/** The kinds in the order they are checked. */
export type PushRuleKind = 'override' | 'content' | 'room' | 'sender' | 'underride';

export const PUSH_RULE_KINDS: readonly PushRuleKind[] = Object.freeze(['override', 'content', 'room', 'sender', 'underride']);

export function isPushRuleKind(value: unknown): value is PushRuleKind {
  return typeof value === 'string' && (PUSH_RULE_KINDS as readonly string[]).includes(value);
}

/** `{ "set_tweak": name, "value": … }`; tweaks pass through to the push gateway. */
export interface TweakAction {
  readonly set_tweak: string;
  readonly value?: JsonValue;
}

/** "notify", a tweak, or (from older data) "dont_notify"/"coalesce", which are ignored. */
export type PushAction = string | TweakAction;

/** Values event_property_is/contains compare: non-compound canonical JSON. */
export type ConditionValue = string | number | boolean | null;

/** One condition as stored and served. Unrecognised kinds keep their own parameters. */
export interface PushCondition {
  readonly kind: string;
  readonly key?: string;
  readonly pattern?: string;
  readonly is?: string;
  readonly value?: ConditionValue;
  readonly [parameter: string]: unknown;
}

export interface PushRule {
  readonly rule_id: string;
  readonly default: boolean;
  readonly enabled: boolean;
  readonly actions: readonly PushAction[];
  /** override and underride rules only. */
  readonly conditions?: readonly PushCondition[];
  /** content rules only. */
  readonly pattern?: string;
}

/** The rules of one scope, by kind (push_ruleset.yaml), each list most important first. */
export type PushRuleset = { readonly [K in PushRuleKind]: readonly PushRule[] };

/** What GET /pushrules/ returns and m.push_rules carries: `global` is the only scope. */
export interface PushRules {
  readonly global: PushRuleset;
}

/** A user's own rules by kind, each list most important first. */
export type UserPushRules = { readonly [K in PushRuleKind]?: readonly PushRule[] };

/** What evaluation needs to know about the room and the user the rules belong to. */
export interface PushContext {
  /** The user whose rules these are; their own events never notify them. */
  readonly userId: string;
  /** Their display name in the room, for the deprecated contains_display_name condition. */
  readonly displayName?: string;
  /** Joined members of the room, for room_member_count. */
  readonly roomMemberCount: number;
  /** The sender's power level (Infinity for v12 creators); 0 when absent. */
  readonly senderPowerLevel?: number;
  /** `notifications` of the room's m.room.power_levels, already read for the room version
   * (auth's parsePowerLevels(...).notifications); a missing key requires 50. */
  readonly notificationPowerLevels?: ReadonlyMap<string, number>;
}

/** The outcome for one event and one user. */
export interface PushEvaluation {
  /** The matched rule's actions, historical actions removed; empty when nothing matched. */
  readonly actions: readonly PushAction[];
  /** Whether the actions include "notify". */
  readonly notify: boolean;
  /** notify and a true highlight tweak: what counts towards highlight_count. */
  readonly highlight: boolean;
  /** The sound tweak, when it is a string. */
  readonly sound?: string;
  /** Every tweak the actions set (later ones win); a tweak without a value is `true`. */
  readonly tweaks: Readonly<Record<string, JsonValue>>;
  readonly ruleId?: string;
  readonly kind?: PushRuleKind;
}

export type PushErrcode = 'M_BAD_JSON' | 'M_INVALID_PARAM';

export interface PushValidationError {
  readonly ok: false;
  readonly errcode: PushErrcode;
  readonly error: string;
}
