// KeyedQueue (src/tenancy/keyed-queue.ts): one task at a time per key, in order, also after
// a failure; concurrently across keys; no entry kept for an idle key.
import { expect, test } from 'vitest';
import { KeyedQueue } from '../../src/tenancy/keyed-queue.ts';

const deferred = (): { promise: Promise<void>; resolve: () => void; reject: (e: Error) => void } => {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

test('tasks of one key run in order, a failure does not stop the next; other keys run meanwhile', async () => {
  const queue = new KeyedQueue();
  const order: string[] = [];
  const first = deferred();
  const second = deferred();
  const a = queue.run('room', async () => {
    order.push('a');
    await first.promise;
  });
  const b = queue.run('room', async () => {
    order.push('b');
    await second.promise;
  });
  const c = queue.run('room', async () => void order.push('c'));
  await queue.run('other', async () => void order.push('other'));
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['a', 'other']);
  expect(queue.activeKeys).toBe(1);
  first.resolve();
  await a;
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['a', 'other', 'b']);
  second.reject(new Error('failed'));
  await expect(b).rejects.toThrow('failed');
  await c;
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['a', 'other', 'b', 'c']);
  expect(queue.activeKeys).toBe(0);
});
