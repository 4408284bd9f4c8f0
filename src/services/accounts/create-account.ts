// Creating an account row (registration and shared-secret registration share it).
import type { Transaction } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { MatrixError } from '../../errors/matrix-error.ts';
import { insertUser } from '../../storage/users.ts';

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}

/** Inserts the user; 400 M_USER_IN_USE when the ID was taken meanwhile. */
export async function createAccount(
  trx: Transaction<TenantDatabase>,
  account: { userId: string; localpart: string; passwordHash: string; createdTs: number; admin?: boolean; userType?: string | null; displayname?: string },
): Promise<void> {
  try {
    await insertUser(trx, { ...account, displayname: account.displayname ?? account.localpart });
  } catch (error) {
    if (isUniqueViolation(error)) throw new MatrixError('M_USER_IN_USE', 'Desired user ID is already taken.');
    throw error;
  }
}
