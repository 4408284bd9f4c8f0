// The pool's lanes (src/db/database.ts): a tenant schema always maps to the same lane, lanes
// spread schemas, a lane never has fewer than 4 connections, and the pipelined connections
// (fewer than the lanes unless configured) are shared by lanes.
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { laneOf, openDatabase } from '../../src/db/database.ts';

const log = pino({ level: 'silent' });
const URL = 'postgres://nobody@127.0.0.1:1/none';
const maxOf = (pool: unknown): number => (pool as { options: { max: number } }).options.max;

describe('pool lanes', () => {
  test('max connections are split into lanes of at least 4', async () => {
    const db = openDatabase(URL, { max: 20, lanes: 5, log });
    expect(db.pools.map(maxOf)).toEqual([4, 4, 4, 4, 4]);
    await db.close();
    const small = openDatabase(URL, { max: 6, lanes: 5, log });
    expect(small.pools.map(maxOf)).toEqual([6]);
    await small.close();
    const uneven = openDatabase(URL, { max: 10, lanes: 2, log });
    expect(uneven.pools.map(maxOf)).toEqual([5, 5]);
    await uneven.close();
  });

  test('a schema always gets the same root; schemas spread over all lanes', async () => {
    const db = openDatabase(URL, { max: 20, lanes: 5, log });
    expect(db.laneFor('t_17')).toBe(db.laneFor('t_17'));
    const counts = new Map<number, number>();
    for (let i = 0; i < 1000; i++) counts.set(laneOf(`t_${i}`, 5), (counts.get(laneOf(`t_${i}`, 5)) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    for (const n of counts.values()) expect(n).toBeGreaterThan(100);
    expect(new Set(Array.from({ length: 50 }, (_, i) => db.laneFor(`t_${i}`))).size).toBe(5);
    await db.close();
  });

  test('lanes share the pipelined connections: one by default, never more than lanes', async () => {
    const pipelinesOf = (db: ReturnType<typeof openDatabase>): number => new Set(Array.from({ length: 200 }, (_, i) => db.laneFor(`t_${i}`).pipeline)).size;
    const byDefault = openDatabase(URL, { max: 20, lanes: 5, log });
    expect(pipelinesOf(byDefault)).toBe(1);
    await byDefault.close();
    const two = openDatabase(URL, { max: 20, lanes: 5, pipelines: 2, log });
    expect(pipelinesOf(two)).toBe(2);
    await two.close();
    const capped = openDatabase(URL, { max: 20, lanes: 5, pipelines: 9, log });
    expect(pipelinesOf(capped)).toBe(5);
    await capped.close();
  });
});
