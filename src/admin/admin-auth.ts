// Every admin request carries `Authorization: Bearer <ADMIN_TOKEN>`; compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../errors/matrix-error.ts';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function requireAdminToken(app: FastifyInstance, token: string): void {
  const expected = digest(token);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new MatrixError('M_MISSING_TOKEN', 'Missing admin token: send Authorization: Bearer <ADMIN_TOKEN>');
    if (!timingSafeEqual(digest(match[1] as string), expected)) {
      throw new MatrixError('M_UNKNOWN_TOKEN', 'Unrecognised admin token');
    }
  });
}
