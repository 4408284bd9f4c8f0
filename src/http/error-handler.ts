// Every error leaves as a Matrix error body with the right status; nothing escapes as an
// HTML page or a bare 500 with internals.
import type { FastifyError, FastifyInstance } from 'fastify';
import { MatrixError, databaseUnavailable } from '../errors/matrix-error.ts';
import { isDatabaseUnavailable } from '../db/errors.ts';

function toMatrixError(error: FastifyError | Error): MatrixError | undefined {
  if (error instanceof MatrixError) return error;
  const code = (error as FastifyError).code;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new MatrixError('M_TOO_LARGE', 'Request body too large');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new MatrixError('M_NOT_JSON', 'Content not JSON.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new MatrixError('M_UNKNOWN', error.message, { status: 400 });
    case 'FST_ERR_VALIDATION':
      return new MatrixError('M_BAD_JSON', error.message);
    // PostgreSQL stores no U+0000 in text or jsonb: input carrying one (in a path, a query
    // or a body) is the client's error, not a 500.
    case '22021': // character_not_in_repertoire
    case '22P05': // untranslatable_character
      return new MatrixError('M_INVALID_PARAM', 'The request contains a character this server cannot store (U+0000)');
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error);
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new MatrixError('M_UNKNOWN', error.message, { status });
  }
  return undefined;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const matrixError = toMatrixError(error);
    if (matrixError) {
      if (matrixError.status >= 500) request.log.warn({ err: error }, matrixError.message);
      void reply.code(matrixError.status).headers(matrixError.headers).send(matrixError.body());
      return;
    }
    request.log.error({ err: error }, 'unhandled error');
    void reply.code(500).send({ errcode: 'M_UNKNOWN', error: 'Internal server error' });
  });
  app.setNotFoundHandler((request, reply) => {
    const method = request.method;
    // A known path with another method is 405; an unknown path is 404 (both M_UNRECOGNIZED).
    const otherMethods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'].filter((m) => m !== method);
    const path = request.url.split('?')[0] ?? '/';
    const allowed = otherMethods.filter((m) => app.findRoute({ method: m as 'GET', url: path }) !== null);
    if (allowed.length > 0) {
      void reply.code(405).header('allow', [...allowed, 'OPTIONS'].join(', ')).send({ errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
      return;
    }
    void reply.code(404).send({ errcode: 'M_UNRECOGNIZED', error: 'Unrecognized request' });
  });
}
