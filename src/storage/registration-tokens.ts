// Registration tokens (tenant table registration_tokens), per the spec's
// m.login.registration_token: a token is valid while it has not expired and
// pending + completed < uses_allowed (no limit when uses_allowed is null).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { TenantDatabase } from '../db/schema-types.ts';

type Db = Kysely<TenantDatabase> | Transaction<TenantDatabase>;

export interface StoredRegistrationToken {
  token: string;
  usesAllowed: number | null;
  pending: number;
  completed: number;
  expiryTime: number | null;
}

const COLUMNS = ['token', 'uses_allowed', 'pending', 'completed', 'expiry_time'] as const;

function toToken(row: { token: string; uses_allowed: number | null; pending: number; completed: number; expiry_time: string | null }): StoredRegistrationToken {
  return {
    token: row.token,
    usesAllowed: row.uses_allowed,
    pending: row.pending,
    completed: row.completed,
    expiryTime: row.expiry_time === null ? null : Number(row.expiry_time),
  };
}

export async function getRegistrationToken(db: Db, token: string): Promise<StoredRegistrationToken | undefined> {
  const row = await db.selectFrom('registration_tokens').select(COLUMNS).where('token', '=', token).executeTakeFirst();
  return row ? toToken(row) : undefined;
}

export async function listRegistrationTokens(db: Db): Promise<StoredRegistrationToken[]> {
  const rows = await db.selectFrom('registration_tokens').select(COLUMNS).orderBy('created_ts').orderBy('token').execute();
  return rows.map(toToken);
}

/** Inserts a token; false when it already exists. */
export async function insertRegistrationToken(
  db: Db,
  token: { token: string; usesAllowed: number | null; expiryTime: number | null; createdTs: number },
): Promise<boolean> {
  const row = await db
    .insertInto('registration_tokens')
    .values({ token: token.token, uses_allowed: token.usesAllowed, expiry_time: token.expiryTime, created_ts: token.createdTs })
    .onConflict((oc) => oc.column('token').doNothing())
    .returning('token')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteRegistrationToken(db: Db, token: string): Promise<boolean> {
  const result = await db.deleteFrom('registration_tokens').where('token', '=', token).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Atomically checks a token's validity and counts one pending use; false when invalid. */
export async function reserveRegistrationToken(db: Db, token: string, now: number): Promise<boolean> {
  const row = await db
    .updateTable('registration_tokens')
    .set({ pending: sql`pending + 1` })
    .where('token', '=', token)
    .where((eb) => eb.or([eb('expiry_time', 'is', null), eb('expiry_time', '>', String(now))]))
    .where((eb) => eb.or([eb('uses_allowed', 'is', null), eb(sql`pending + completed`, '<', eb.ref('uses_allowed'))]))
    .returning('token')
    .executeTakeFirst();
  return row !== undefined;
}

/** A pending use became a registration. */
export async function completeRegistrationTokenUse(db: Db, token: string): Promise<void> {
  await db
    .updateTable('registration_tokens')
    .set({ pending: sql`greatest(pending - 1, 0)`, completed: sql`completed + 1` })
    .where('token', '=', token)
    .execute();
}

/** A pending use was abandoned (its session expired). */
export async function releaseRegistrationToken(db: Db, token: string): Promise<void> {
  await db.updateTable('registration_tokens').set({ pending: sql`greatest(pending - 1, 0)` }).where('token', '=', token).execute();
}
