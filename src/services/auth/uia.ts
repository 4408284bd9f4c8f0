// User-interactive authentication (client-server API, "User-Interactive Authentication
// API"): the server offers flows of stages; the client completes one stage per request,
// passing back the session ID; when every stage of a flow is done the call proceeds.
// Sessions live in the database (any shard can continue them), are bound to one operation
// and, for signed-in users, to that user, and are single use: the operation deletes its
// session in its own transaction (finishUiaSession), so completed stages authorise exactly
// one call.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { MatrixError, type Errcode } from '../../errors/matrix-error.ts';
import { releaseRegistrationToken } from '../../storage/registration-tokens.ts';
import {
  deleteExpiredUiaSessions,
  deleteUiaSession,
  getUiaSession,
  getUiaSessionForUpdate,
  insertUiaSession,
  updateUiaSession,
  type StoredUiaSession,
} from '../../storage/uia-sessions.ts';
import type { TenantContext } from '../../tenancy/context.ts';
import type { AccountDeps } from './deps.ts';
import { nowOf } from './deps.ts';
import { randomId } from './secrets.ts';
import { runStage, type StageOutcome } from './uia-stages.ts';

export const STAGE_DUMMY = 'm.login.dummy';
export const STAGE_PASSWORD = 'm.login.password';
export const STAGE_REGISTRATION_TOKEN = 'm.login.registration_token';

export interface UiaPolicy {
  /** What the session authorises, e.g. "register" or "delete_devices". */
  operation: string;
  /** Each flow is a sequence of stage types. */
  flows: string[][];
  /** The signed-in user the operation is for; stages must authenticate this user. */
  userId?: string;
  params?: Record<string, Record<string, unknown>>;
}

/** What the completed stages established (e.g. the registration token reserved). */
export interface UiaSessionData {
  registration_token?: string;
}

export interface UiaSuccess {
  sessionId: string;
  data: UiaSessionData;
}

/** The 401 response that asks for (more) authentication; its body is the spec's
 * authentication response, with errcode/error only when a stage attempt failed. */
export class UiaChallenge extends MatrixError {
  override name = 'UiaChallenge';
  readonly challenge: Record<string, unknown>;

  constructor(challenge: Record<string, unknown>, failure?: { errcode: Errcode; error: string }) {
    super(failure?.errcode ?? 'M_UNAUTHORIZED', failure?.error ?? 'Additional authentication is required', { status: 401 });
    this.challenge = failure ? { errcode: failure.errcode, error: failure.error, ...challenge } : challenge;
  }

  override body(): Record<string, unknown> {
    return this.challenge;
  }
}

const MAX_PURGE = 100;

function challengeFor(policy: UiaPolicy, sessionId: string, completed: string[], failure?: { errcode: Errcode; error: string }): UiaChallenge {
  return new UiaChallenge(
    {
      flows: policy.flows.map((stages) => ({ stages })),
      params: policy.params ?? {},
      session: sessionId,
      ...(completed.length > 0 ? { completed } : {}),
    },
    failure,
  );
}

function startsWith(flow: string[], completed: string[]): boolean {
  return completed.every((stage, i) => flow[i] === stage);
}

function isNextStage(flows: string[][], completed: string[], type: string): boolean {
  return flows.some((flow) => startsWith(flow, completed) && flow[completed.length] === type);
}

function isComplete(flows: string[][], completed: string[]): boolean {
  return flows.some((flow) => flow.length === completed.length && startsWith(flow, completed));
}

async function createSession(tenant: TenantContext, deps: AccountDeps, policy: UiaPolicy): Promise<string> {
  const now = nowOf(deps);
  await purgeExpiredSessions(tenant.db, now);
  const sessionId = randomId();
  await insertUiaSession(tenant.db, {
    sessionId,
    operation: policy.operation,
    userId: policy.userId ?? null,
    createdTs: now,
    expiresTs: now + deps.settings.uiaSessionLifetimeMs,
  });
  return sessionId;
}

/** Releases what expired sessions held (reserved registration tokens). */
async function purgeExpiredSessions(db: Kysely<TenantDatabase>, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const data of await deleteExpiredUiaSessions(trx, now, MAX_PURGE)) await releaseSessionData(trx, data);
  });
}

export async function releaseSessionData(db: Kysely<TenantDatabase> | Transaction<TenantDatabase>, data: Record<string, unknown>): Promise<void> {
  if (typeof data.registration_token === 'string') await releaseRegistrationToken(db, data.registration_token);
}

function notNext(type: string): StageOutcome {
  return { ok: false, errcode: 'M_FORBIDDEN', error: `${type} is not the next stage of any offered flow` };
}

/** The stage's outcome under the session lock: the early result, or the stage run now. */
async function settleStage(
  tenant: TenantContext,
  trx: Transaction<TenantDatabase>,
  deps: AccountDeps,
  policy: UiaPolicy,
  completed: string[],
  type: string,
  fields: Record<string, unknown>,
  early: StageOutcome | 'needs-transaction',
): Promise<StageOutcome> {
  if (early !== 'needs-transaction' && !early.ok) return early;
  if (!isNextStage(policy.flows, completed, type)) return notNext(type);
  if (early !== 'needs-transaction') return early;
  const result = await runStage(tenant, trx, deps, policy, type, fields);
  if (result === 'needs-transaction') throw new Error(`UIA stage ${type} asked for a transaction it was given`);
  return result;
}

function checkSession(session: StoredUiaSession | undefined, policy: UiaPolicy, now: number): asserts session is StoredUiaSession {
  if (!session || session.expiresTs <= now) {
    throw new MatrixError('M_UNKNOWN', 'Unknown or expired authentication session', { status: 400 });
  }
  if (session.operation !== policy.operation || session.userId !== (policy.userId ?? null)) {
    throw new MatrixError('M_FORBIDDEN', 'This authentication session was started for a different request');
  }
}

function authObject(auth: unknown): Record<string, unknown> | undefined {
  if (auth === undefined || auth === null) return undefined;
  if (typeof auth !== 'object' || Array.isArray(auth)) throw new MatrixError('M_BAD_JSON', 'auth must be an object');
  const fields = auth as Record<string, unknown>;
  if (fields.session !== undefined && typeof fields.session !== 'string') throw new MatrixError('M_BAD_JSON', 'auth.session must be a string');
  if (fields.type !== undefined && typeof fields.type !== 'string') throw new MatrixError('M_BAD_JSON', 'auth.type must be a string');
  if (fields.session === undefined && fields.type === undefined) return undefined;
  return fields;
}

/**
 * Runs one round of user-interactive authentication for a request's `auth` value. Resolves
 * when a flow is complete; otherwise throws a UiaChallenge (401) describing the session, or
 * a plain MatrixError for malformed input (400), unknown sessions (400), rate limits (429).
 */
export async function userInteractiveAuth(tenant: TenantContext, deps: AccountDeps, policy: UiaPolicy, auth: unknown): Promise<UiaSuccess> {
  const fields = authObject(auth);
  if (fields === undefined) throw challengeFor(policy, await createSession(tenant, deps, policy), []);
  const sessionId = (fields.session as string | undefined) ?? (await createSession(tenant, deps, policy));
  const type = fields.type as string | undefined;
  const now = nowOf(deps);

  // Check the session and run credential-only stages before taking the session's lock.
  const before = await getUiaSession(tenant.db, sessionId);
  checkSession(before, policy, now);
  let early: StageOutcome | 'needs-transaction' | undefined;
  if (type !== undefined && !before.completed.includes(type)) {
    early = isNextStage(policy.flows, before.completed, type) ? await runStage(tenant, undefined, deps, policy, type, fields) : notNext(type);
  }

  const outcome = await tenant.db.transaction().execute(async (trx) => {
    const session = await getUiaSessionForUpdate(trx, sessionId);
    checkSession(session, policy, now);
    const completed = [...session.completed];
    const data: Record<string, unknown> = { ...session.data };
    let result: StageOutcome | undefined;
    // Skipped when a concurrent request completed the stage meanwhile.
    if (type !== undefined && early !== undefined && !completed.includes(type)) {
      result = await settleStage(tenant, trx, deps, policy, completed, type, fields, early);
      if (result.ok) {
        completed.push(type);
        Object.assign(data, result.data ?? {});
        await updateUiaSession(trx, sessionId, completed, data);
      }
    }
    return { completed, data, result };
  });

  const failure = outcome.result && !outcome.result.ok ? { errcode: outcome.result.errcode, error: outcome.result.error } : undefined;
  if (!failure && isComplete(policy.flows, outcome.completed)) return { sessionId, data: outcome.data as UiaSuccess['data'] };
  throw challengeFor(policy, sessionId, outcome.completed, failure);
}

/** Consumes a completed session inside the operation's transaction. Throws 400 when it was
 * already consumed (two requests raced on one session), so a session authorises one call. */
export async function finishUiaSession(db: Kysely<TenantDatabase> | Transaction<TenantDatabase>, sessionId: string): Promise<void> {
  const data = await deleteUiaSession(db, sessionId);
  if (data === undefined) throw new MatrixError('M_UNKNOWN', 'This authentication session has already been used', { status: 400 });
}
