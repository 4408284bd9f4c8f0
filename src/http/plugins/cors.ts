// CORS as the client-server spec requires ("Web Browser Clients"): every response carries
// the headers, and preflight OPTIONS requests are answered without further processing.
import type { FastifyInstance } from 'fastify';

const HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};

export function allowCors(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.headers(HEADERS);
    if (request.method === 'OPTIONS') return reply.code(204).send();
  });
}
