// Users' push rules (tables push_rules, push_rule_defaults, push_rule_versions). Rows are
// read back as untrusted shapes: the protocol's merge and compile tolerate anything.
import { HotStatement, type TenantDb } from '../../db/hot-statement.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import {
  PUSH_RULE_KINDS,
  isPushRuleKind,
  pushRuleKey,
  type PushAction,
  type PushCondition,
  type PushRule,
  type PushRuleKind,
} from '../../protocol/push/index.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

/** Everything stored about one user's rules. */
export interface StoredUserRules {
  /** Own rules by kind, most important first. */
  rules: Record<PushRuleKind, PushRule[]>;
  /** Choices about server-default rules, keyed by pushRuleKey. */
  enabled: Map<string, boolean>;
  actions: Map<string, PushAction[]>;
}

function emptyRules(): Record<PushRuleKind, PushRule[]> {
  return Object.fromEntries(PUSH_RULE_KINDS.map((kind) => [kind, []])) as unknown as Record<PushRuleKind, PushRule[]>;
}

function ruleFromRow(row: { rule_id: string; conditions: unknown; pattern: string | null; actions: unknown; enabled: boolean }): PushRule {
  const base = { rule_id: row.rule_id, default: false, enabled: row.enabled, actions: (Array.isArray(row.actions) ? row.actions : []) as PushAction[] };
  if (row.pattern !== null) return { ...base, pattern: row.pattern };
  if (Array.isArray(row.conditions)) return { ...base, conditions: row.conditions as PushCondition[] };
  return base;
}

/** The stored rules of several users, in one query per table. Users without any are absent. */
export async function loadUsersRules(db: Db, userIds: readonly string[]): Promise<Map<string, StoredUserRules>> {
  const result = new Map<string, StoredUserRules>();
  if (userIds.length === 0) return result;
  const ids = [...new Set(userIds)];
  const of = (userId: string): StoredUserRules => {
    let entry = result.get(userId);
    if (!entry) result.set(userId, (entry = { rules: emptyRules(), enabled: new Map(), actions: new Map() }));
    return entry;
  };
  const [rules, defaults] = await Promise.all([
    db
      .selectFrom('push_rules')
      .select(['user_id', 'kind', 'rule_id', 'conditions', 'pattern', 'actions', 'enabled'])
      .where('user_id', 'in', ids)
      .orderBy('user_id')
      .orderBy('kind')
      .orderBy('priority')
      .execute(),
    db.selectFrom('push_rule_defaults').select(['user_id', 'kind', 'rule_id', 'enabled', 'actions']).where('user_id', 'in', ids).execute(),
  ]);
  for (const row of rules) {
    if (isPushRuleKind(row.kind)) of(row.user_id).rules[row.kind].push(ruleFromRow(row));
  }
  for (const row of defaults) {
    if (!isPushRuleKind(row.kind)) continue;
    const entry = of(row.user_id);
    const key = pushRuleKey(row.kind, row.rule_id);
    if (row.enabled !== null) entry.enabled.set(key, row.enabled);
    if (Array.isArray(row.actions)) entry.actions.set(key, row.actions as PushAction[]);
  }
  return result;
}

export async function loadUserRules(db: Db, userId: string): Promise<StoredUserRules> {
  return (await loadUsersRules(db, [userId])).get(userId) ?? { rules: emptyRules(), enabled: new Map(), actions: new Map() };
}

/** The rules versions of several users (0 for users who never changed their rules). */
const RULE_VERSIONS = new HotStatement<{ user_id: string; version: string }>(
  (table) => `SELECT user_id, version FROM ${table('push_rule_versions')} WHERE user_id = ANY($1::text[])`,
);

/** The users' rule versions (0: never changed). The push hook re-checks its cached rules
 * with it every few seconds: a hot statement on the pipelined connection. */
export async function ruleVersions(tenant: TenantDb, userIds: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return result;
  for (const row of await RULE_VERSIONS.run(tenant, [[...new Set(userIds)]])) result.set(row.user_id, Number(row.version));
  return result;
}

/**
 * Takes the next version of the user's rules. Call first in a transaction that changes
 * them: the row lock serialises one user's changes until commit.
 */
export async function bumpRuleVersion(trx: Transaction<TenantDatabase>, userId: string): Promise<number> {
  const row = await trx
    .insertInto('push_rule_versions')
    .values({ user_id: userId, version: 1 })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ version: sql`push_rule_versions.version + 1` }))
    .returning('version')
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

/** Replaces the user's rules of one kind with `rules` (most important first). */
export async function replaceKindRules(trx: Transaction<TenantDatabase>, userId: string, kind: PushRuleKind, rules: readonly PushRule[]): Promise<void> {
  await trx.deleteFrom('push_rules').where('user_id', '=', userId).where('kind', '=', kind).execute();
  if (rules.length === 0) return;
  await trx
    .insertInto('push_rules')
    .values(
      rules.map((rule, priority) => ({
        user_id: userId,
        kind,
        rule_id: rule.rule_id,
        priority,
        conditions: rule.conditions === undefined ? null : JSON.stringify(rule.conditions),
        pattern: rule.pattern ?? null,
        actions: JSON.stringify(rule.actions),
        enabled: rule.enabled,
      })),
    )
    .execute();
}

/** Updates one own rule's enabled flag and/or actions; false when there is no such rule. */
export async function updateOwnRule(
  trx: Transaction<TenantDatabase>,
  userId: string,
  kind: PushRuleKind,
  ruleId: string,
  change: { enabled?: boolean; actions?: readonly PushAction[] },
): Promise<boolean> {
  const set: { enabled?: boolean; actions?: string } = {};
  if (change.enabled !== undefined) set.enabled = change.enabled;
  if (change.actions !== undefined) set.actions = JSON.stringify(change.actions);
  const result = await trx.updateTable('push_rules').set(set).where('user_id', '=', userId).where('kind', '=', kind).where('rule_id', '=', ruleId).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a choice about a server-default rule (the other choice is kept). */
export async function setDefaultRuleChoice(
  trx: Transaction<TenantDatabase>,
  userId: string,
  kind: PushRuleKind,
  ruleId: string,
  change: { enabled?: boolean; actions?: readonly PushAction[] },
): Promise<void> {
  const enabled = change.enabled ?? null;
  const actions = change.actions === undefined ? null : JSON.stringify(change.actions);
  await trx
    .insertInto('push_rule_defaults')
    .values({ user_id: userId, kind, rule_id: ruleId, enabled, actions })
    .onConflict((oc) =>
      oc.columns(['user_id', 'kind', 'rule_id']).doUpdateSet({
        ...(change.enabled !== undefined ? { enabled } : {}),
        ...(change.actions !== undefined ? { actions } : {}),
      }),
    )
    .execute();
}

/** Deletes one own rule; false when there is no such rule. */
export async function deleteOwnRule(trx: Transaction<TenantDatabase>, userId: string, kind: PushRuleKind, ruleId: string): Promise<boolean> {
  const result = await trx.deleteFrom('push_rules').where('user_id', '=', userId).where('kind', '=', kind).where('rule_id', '=', ruleId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
