// KeyedQueue (src/tenancy/keyed-queue.ts): one task at a time per key, concurrently across
// keys; `waiting` counts the tasks queued behind the running one (the send path signs inline
// when a room has a backlog).
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

test('tasks of one key run in order; waiting counts those behind the running one, failures included', async () => {
  const queue = new KeyedQueue();
  const order: string[] = [];
  const first = deferred();
  const second = deferred();
  expect(queue.waiting('room')).toBe(0);
  const a = queue.run('room', async () => {
    order.push('a');
    await first.promise;
  });
  const b = queue.run('room', async () => {
    order.push('b');
    await second.promise;
  });
  const c = queue.run('room', async () => void order.push('c'));
  const other = queue.run('other', async () => void order.push('other'));
  await other;
  expect(order).toEqual(['a', 'other']);
  expect(queue.waiting('room')).toBe(2);
  expect(queue.waiting('other')).toBe(0);
  first.resolve();
  await a;
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['a', 'other', 'b']);
  expect(queue.waiting('room')).toBe(1);
  second.reject(new Error('failed'));
  await expect(b).rejects.toThrow('failed');
  await c;
  await new Promise((r) => setImmediate(r));
  expect(order).toEqual(['a', 'other', 'b', 'c']);
  expect(queue.waiting('room')).toBe(0);
  expect(queue.activeKeys).toBe(0);
});
