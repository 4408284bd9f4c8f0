// POST /user_directory/search.
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../../../errors/matrix-error.ts';
import { searchUserDirectory } from '../../../services/user-directory/search-users.ts';
import { requesterOf } from '../../plugins/client-auth.ts';
import { objectBody, requiredString } from '../../validation.ts';

/** Longest search term, in characters. */
export const MAX_SEARCH_TERM_LENGTH = 1000;

export function userDirectoryRoutes(app: FastifyInstance): void {
  app.post('/_matrix/client/v3/user_directory/search', { config: { auth: 'required' } }, async (request) => {
    const body = objectBody(request.body);
    const searchTerm = requiredString(body, 'search_term', { maxLength: MAX_SEARCH_TERM_LENGTH });
    const limit = body.limit;
    if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit))) throw new MatrixError('M_BAD_JSON', 'limit must be an integer');
    if (typeof limit === 'number' && limit < 0) throw new MatrixError('M_INVALID_PARAM', 'limit must not be negative');
    return searchUserDirectory(request.tenant, requesterOf(request).userId, { searchTerm, ...(limit !== undefined ? { limit } : {}) });
  });
}
