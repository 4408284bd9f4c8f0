// The tenant's registration shared secret (Synapse's registration_shared_secret), generated
// at first use and shown to the operator through the admin API.
import type { Kysely } from 'kysely';
import type { TenantDatabase } from '../../db/schema-types.ts';
import { getOrCreateSecret } from '../../storage/server-secrets.ts';
import { randomId } from '../auth/secrets.ts';

export const REGISTRATION_SHARED_SECRET = 'registration_shared_secret';

export function registrationSharedSecret(db: Kysely<TenantDatabase>, now = Date.now()): Promise<string> {
  return getOrCreateSecret(db, REGISTRATION_SHARED_SECRET, () => randomId(32), now);
}
