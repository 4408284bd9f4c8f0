// Shard-level probes: /health says the process serves HTTP; /ready says it can reach its database.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';

export function healthRoutes(app: FastifyInstance, options: { pool: pg.Pool }): void {
  app.get('/health', { config: { shardLevel: true } }, async () => ({ status: 'ok' }));
  app.get('/ready', { config: { shardLevel: true } }, async (_request, reply) => {
    try {
      await Promise.race([
        options.pool.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database check timed out')), 2_000).unref()),
      ]);
      return { status: 'ready' };
    } catch {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ errcode: 'M_UNKNOWN', error: 'The server cannot reach its database', status: 'unavailable' });
    }
  });
}
