// Users' effective push rules (server defaults merged with their own rules and choices),
// compiled for evaluation and cached per tenant. The shard that makes a change drops the
// entry at once. An entry is checked against push_rule_versions (one query for all users of
// an event) when it was last checked more than PUSH_RULES_RECHECK_MS ago, so a change made
// on another shard (a tenant briefly served by two) is seen within that time, and the send
// path does not read the versions on every event.
import { compilePushRules, defaultPushRules, mergeUserRules, type CompiledPushRules, type PushRules } from '../../protocol/push/index.ts';
import { loadUsersRules, ruleVersions, type StoredUserRules } from '../../storage/push/push-rules.ts';
import { BoundedMap } from '../../tenancy/bounded-map.ts';
import type { TenantContext } from '../../tenancy/context.ts';

export interface CachedPushRules {
  /** push_rule_versions.version the entry was built from (0: never changed). */
  version: number;
  rules: PushRules;
  compiled: CompiledPushRules;
  /** When the version was last read (ms since the epoch). */
  checkedAt: number;
}

/** How long an entry is used without reading its version again. */
export const PUSH_RULES_RECHECK_MS = 5_000;

/** Users per tenant whose compiled rules are kept. */
const MAX_CACHED_USERS = 2_000;

function cacheOf(tenant: TenantContext): BoundedMap<string, CachedPushRules> {
  tenant.caches.pushRules ??= new BoundedMap(MAX_CACHED_USERS);
  return tenant.caches.pushRules;
}

/** The effective ruleset from what is stored about a user. */
export function effectiveRules(userId: string, stored: StoredUserRules | undefined): PushRules {
  const defaults = defaultPushRules(userId);
  return stored ? mergeUserRules(defaults, stored.rules, stored.enabled, stored.actions) : mergeUserRules(defaults, {});
}

/** Drops a user's entry (after changing their rules on this shard). */
export function forgetPushRules(tenant: TenantContext, userId: string): void {
  tenant.caches.pushRules?.delete(userId);
}

/** The current rules of several users: cached where the version still matches, else loaded,
 * merged and compiled (one query per table for all of them). */
export async function pushRulesOf(tenant: TenantContext, userIds: readonly string[], now = Date.now()): Promise<Map<string, CachedPushRules>> {
  const cache = cacheOf(tenant);
  const result = new Map<string, CachedPushRules>();
  const unchecked: string[] = [];
  for (const userId of new Set(userIds)) {
    const cached = cache.get(userId);
    if (cached && now - cached.checkedAt < PUSH_RULES_RECHECK_MS) result.set(userId, cached);
    else unchecked.push(userId);
  }
  if (unchecked.length === 0) return result;
  const versions = await ruleVersions(tenant, unchecked);
  const stale: string[] = [];
  for (const [userId, version] of versions) {
    const cached = cache.get(userId);
    if (cached && cached.version === version) {
      cached.checkedAt = now;
      result.set(userId, cached);
    } else stale.push(userId);
  }
  if (stale.length === 0) return result;
  // Read after the versions: the rules are at least as new as the version recorded with
  // them, so a later change always shows as a version mismatch.
  const stored = await loadUsersRules(tenant.db, stale);
  for (const userId of stale) {
    const rules = effectiveRules(userId, stored.get(userId));
    const entry: CachedPushRules = { version: versions.get(userId) ?? 0, rules, compiled: compilePushRules(rules), checkedAt: now };
    cache.set(userId, entry);
    result.set(userId, entry);
  }
  return result;
}

/** One user's current effective ruleset (GET /pushrules/). */
export async function pushRulesOfUser(tenant: TenantContext, userId: string): Promise<PushRules> {
  const entry = (await pushRulesOf(tenant, [userId])).get(userId);
  return entry ? entry.rules : effectiveRules(userId, undefined);
}
