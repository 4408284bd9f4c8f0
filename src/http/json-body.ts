// Request bodies are JSON whatever the Content-Type says (some Matrix clients omit it).
// Malformed JSON is M_NOT_JSON; bodies over the limit are M_TOO_LARGE (see error-handler).
import type { FastifyInstance } from 'fastify';
import { MatrixError } from '../errors/matrix-error.ts';

export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    // No route matched: the not-found handler answers 404/405 whatever the body holds.
    if (request.routeOptions.url === undefined || text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new MatrixError('M_NOT_JSON', 'Content not JSON.'), undefined);
    }
  });
}
