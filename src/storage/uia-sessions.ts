// User-interactive authentication sessions (tenant table uia_sessions), in the database so
// a client can continue a session on any shard.
import type { Kysely, Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredUiaSession {
  sessionId: string;
  operation: string;
  userId: string | null;
  completed: string[];
  data: Record<string, unknown>;
  expiresTs: number;
}

export async function insertUiaSession(
  db: Db,
  session: { sessionId: string; operation: string; userId: string | null; createdTs: number; expiresTs: number },
): Promise<void> {
  await db
    .insertInto('uia_sessions')
    .values({
      session_id: session.sessionId,
      operation: session.operation,
      user_id: session.userId,
      completed: '[]',
      data: '{}',
      created_ts: session.createdTs,
      expires_ts: session.expiresTs,
    })
    .execute();
}

function toSession(row: {
  session_id: string;
  operation: string;
  user_id: string | null;
  completed: string[];
  data: Record<string, unknown>;
  expires_ts: string;
}): StoredUiaSession {
  return {
    sessionId: row.session_id,
    operation: row.operation,
    userId: row.user_id,
    completed: row.completed,
    data: row.data,
    expiresTs: Number(row.expires_ts),
  };
}

const COLUMNS = ['session_id', 'operation', 'user_id', 'completed', 'data', 'expires_ts'] as const;

export async function getUiaSession(db: Db, sessionId: string): Promise<StoredUiaSession | undefined> {
  const row = await db.selectFrom('uia_sessions').select(COLUMNS).where('session_id', '=', sessionId).executeTakeFirst();
  return row ? toSession(row) : undefined;
}

/** The session, locked until the transaction ends so concurrent stage submissions serialise. */
export async function getUiaSessionForUpdate(db: Transaction<TenantDatabase>, sessionId: string): Promise<StoredUiaSession | undefined> {
  const row = await db.selectFrom('uia_sessions').select(COLUMNS).where('session_id', '=', sessionId).forUpdate().executeTakeFirst();
  return row ? toSession(row) : undefined;
}

export async function updateUiaSession(db: Db, sessionId: string, completed: string[], data: Record<string, unknown>): Promise<void> {
  await db
    .updateTable('uia_sessions')
    .set({ completed: JSON.stringify(completed), data: JSON.stringify(data) })
    .where('session_id', '=', sessionId)
    .execute();
}

/** Deletes a session; returns its data if it existed. */
export async function deleteUiaSession(db: Db, sessionId: string): Promise<Record<string, unknown> | undefined> {
  const row = await db.deleteFrom('uia_sessions').where('session_id', '=', sessionId).returning('data').executeTakeFirst();
  return row?.data;
}

/** Deletes expired sessions (at most `limit`); returns their data. */
export async function deleteExpiredUiaSessions(db: Db, now: number, limit: number): Promise<Record<string, unknown>[]> {
  const rows = await db
    .deleteFrom('uia_sessions')
    .where('session_id', 'in', (qb) => qb.selectFrom('uia_sessions').select('session_id').where('expires_ts', '<=', String(now)).limit(limit))
    .returning('data')
    .execute();
  return rows.map((r) => r.data);
}

/** Deletes every session bound to a user; returns their data. */
export async function deleteUserUiaSessions(db: Db, userId: string): Promise<Record<string, unknown>[]> {
  const rows = await db.deleteFrom('uia_sessions').where('user_id', '=', userId).returning('data').execute();
  return rows.map((r) => r.data);
}
