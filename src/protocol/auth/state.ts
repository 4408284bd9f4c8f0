// The state an event is authorised against, indexed by (type, state_key), with the derived
// facts the rules ask for: creators, power levels, memberships, the join rule.
import { isRecord, own, ownString, type JsonRecord } from './json.ts';
import { contentOf, stateKeyOf } from './event-fields.ts';
import { NO_POWER_LEVELS, parsePowerLevelsContent, type PowerLevels } from './power-levels.ts';
import type { AuthRules } from './rules.ts';

/** Finds the state event for (type, state_key); undefined when there is none. */
export type StateLookup = (type: string, stateKey: string) => object | undefined;

export interface IndexedState {
  lookup: StateLookup;
  /** Set when two different events claim the same (type, state_key). */
  conflict?: [type: string, stateKey: string];
}

/** Indexes a list of state events. Entries that are not state events (no string type and
 * state_key) cannot affect authorisation and are skipped. */
export function indexState(events: readonly unknown[]): IndexedState {
  const byType = new Map<string, Map<string, JsonRecord>>();
  let conflict: [string, string] | undefined;
  for (const event of Array.isArray(events) ? events : []) {
    const key = stateKeyOf(event);
    if (!key || !isRecord(event)) continue;
    const [type, stateKey] = key;
    let byKey = byType.get(type);
    if (!byKey) byType.set(type, (byKey = new Map()));
    const existing = byKey.get(stateKey);
    if (existing && existing !== event && !sameEventId(existing, event)) conflict ??= [type, stateKey];
    byKey.set(stateKey, event);
  }
  const lookup: StateLookup = (type, stateKey) => byType.get(type)?.get(stateKey);
  return conflict ? { lookup, conflict } : { lookup };
}

function sameEventId(a: JsonRecord, b: JsonRecord): boolean {
  const id = ownString(a, 'event_id');
  return id !== undefined && id === ownString(b, 'event_id');
}

/** The creators of a room from its create event: v1–v10 content.creator, v11 the sender,
 * v12 the sender plus content.additional_creators. */
export function creatorsOf(create: unknown, rules: AuthRules): Set<string> {
  const creators = new Set<string>();
  if (rules.creatorInContent) {
    const creator = ownString(contentOf(create), 'creator');
    if (creator !== undefined) creators.add(creator);
    return creators;
  }
  const sender = ownString(create, 'sender');
  if (sender !== undefined) creators.add(sender);
  if (rules.version.privilegedCreators) {
    const additional = own(contentOf(create), 'additional_creators');
    if (Array.isArray(additional)) {
      for (const user of additional) if (typeof user === 'string') creators.add(user);
    }
  }
  return creators;
}

/** Read-only view of the auth state for one check; derived values are computed once. */
export class AuthStateView {
  readonly rules: AuthRules;
  private readonly lookup: StateLookup;
  private levels: PowerLevels | undefined;
  private creatorSet: Set<string> | undefined;

  constructor(lookup: StateLookup, rules: AuthRules) {
    this.lookup = lookup;
    this.rules = rules;
  }

  event(type: string, stateKey: string): JsonRecord | undefined {
    let found: unknown;
    try {
      found = this.lookup(type, stateKey);
    } catch {
      return undefined;
    }
    return isRecord(found) ? found : undefined;
  }

  get create(): JsonRecord | undefined {
    return this.event('m.room.create', '');
  }

  get powerLevelsEvent(): JsonRecord | undefined {
    return this.event('m.room.power_levels', '');
  }

  powerLevels(): PowerLevels {
    if (!this.levels) {
      const event = this.powerLevelsEvent;
      this.levels = event ? parsePowerLevelsContent(own(event, 'content'), this.rules) : NO_POWER_LEVELS;
    }
    return this.levels;
  }

  creators(): ReadonlySet<string> {
    this.creatorSet ??= creatorsOf(this.create, this.rules);
    return this.creatorSet;
  }

  /** A user's current membership, or undefined when they have no (readable) member event. */
  membership(userId: string): string | undefined {
    return ownString(contentOf(this.event('m.room.member', userId)), 'membership');
  }

  /**
   * A user's power level: v12 creators are infinitely powerful; otherwise users[user] or
   * users_default; with no power levels event, 100 for the creator (v1–v11) and 0 for others.
   */
  userPower(userId: string): number {
    const creators = this.creators();
    if (this.rules.version.privilegedCreators && creators.has(userId)) return Infinity;
    const levels = this.powerLevels();
    if (levels.present) return levels.users.get(userId) ?? levels.usersDefault;
    return !this.rules.version.privilegedCreators && creators.has(userId) ? 100 : 0;
  }

  /**
   * The join rule. With no m.room.join_rules event the spec names no default; this treats
   * it as "invite" (invited and joined users may join, nobody else) so that a member can
   * still update their profile. An event whose join_rule is not a string matches no rule.
   */
  joinRule(): string | undefined {
    const event = this.event('m.room.join_rules', '');
    if (!event) return 'invite';
    return ownString(contentOf(event), 'join_rule');
  }
}
