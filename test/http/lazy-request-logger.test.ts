// Request loggers (src/http/lazy-request-logger.ts) are created on first use: a request that
// logs nothing, or only below the level, costs no pino child; one that logs writes its lines
// with the request's bindings, as a real child would.
import { Writable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { expect, test, vi } from 'vitest';
import { lazyChildLogger } from '../../src/http/lazy-request-logger.ts';

function capture(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

test('no child is made until a message at an enabled level is logged', async () => {
  const { logger, lines } = capture();
  const child = vi.spyOn(logger, 'child');
  const requestLog = lazyChildLogger(logger as unknown as FastifyBaseLogger, { reqId: 'req-1' }, {});
  requestLog.debug('not at this level');
  requestLog.trace({ some: 'object' }, 'nor this');
  expect(requestLog.level).toBe('info');
  expect(child).not.toHaveBeenCalled();
  requestLog.info({ route: '/x' }, 'handled');
  requestLog.warn('careful');
  await flush();
  expect(child).toHaveBeenCalledTimes(1);
  expect(lines).toMatchObject([
    { level: 30, reqId: 'req-1', route: '/x', msg: 'handled' },
    { level: 40, reqId: 'req-1', msg: 'careful' },
  ]);
});

test('child loggers are lazy too and carry both bindings; level changes pass through', async () => {
  const { logger, lines } = capture();
  const child = vi.spyOn(logger, 'child');
  const requestLog = lazyChildLogger(logger as unknown as FastifyBaseLogger, { reqId: 'req-2' }, {});
  const tenantLog = requestLog.child({ tenant: 'a.example' });
  tenantLog.debug('below the level');
  expect(child).not.toHaveBeenCalled();
  tenantLog.error('failed');
  requestLog.level = 'debug';
  requestLog.debug('now visible');
  await flush();
  expect(lines).toMatchObject([
    { level: 50, reqId: 'req-2', tenant: 'a.example', msg: 'failed' },
    { level: 20, reqId: 'req-2', msg: 'now visible' },
  ]);
  expect(logger.level).toBe('info');
});
