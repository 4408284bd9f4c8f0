// The protocol pool: the same answers in a worker as inline, error values for any input,
// and a pool that keeps working after bad input, timeouts and dead workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryResolveState, type StateTuple } from '../../src/protocol/state-res/index.ts';
import { createProtocolPool, type ProtocolPool } from '../../src/workers/protocol-pool.ts';
import { verifyBatch } from '../../src/workers/verify-batch.ts';
import { benchRoom } from '../protocol/state-res/synthetic-room.ts';
import { KEYS, message, signed } from './signed-events.ts';

const sorted = (state: readonly StateTuple[]): string[] => state.map((t) => JSON.stringify(t)).sort();

let pool: ProtocolPool;
beforeAll(() => {
  pool = createProtocolPool({ threads: 2 });
});
afterAll(async () => {
  await pool.destroy();
});

describe('protocol pool: resolveState', () => {
  const rooms = [
    ['1', 300, 40],
    ['10', 300, 40],
    ['12', 300, 40],
    ['10', 3_000, 200], // above the streaming threshold
    ['12', 3_000, 200],
  ] as const;
  for (const [roomVersion, stateEvents, conflicted] of rooms) {
    it(`gives the inline result in a worker (room version ${roomVersion}, ${stateEvents} events)`, async () => {
      const room = benchRoom({ roomVersion, stateEvents, conflicted });
      const input = { roomVersion, stateSets: room.stateSets, events: room.events };
      const inline = tryResolveState(roomVersion, room.stateSets, room.events);
      expect(inline.ok).toBe(true);
      for (const placement of ['pool', 'auto', 'inline'] as const) {
        const result = await pool.resolveState(input, { placement });
        expect(result.ok, placement).toBe(true);
        if (result.ok && inline.ok) expect(sorted(result.state), placement).toEqual(sorted(inline.state));
      }
    });
  }

  it('answers malformed input with an error value, in the worker and inline, and keeps working', async () => {
    const room = benchRoom({ roomVersion: '10', stateEvents: 100, conflicted: 10 });
    const good = { roomVersion: '10', stateSets: room.stateSets, events: room.events };
    const bad: unknown[] = [
      null,
      42,
      'x',
      [],
      {},
      { ...good, roomVersion: '99' },
      { ...good, stateSets: 5 },
      { ...good, stateSets: [[['a', 'b']]] },
      { ...good, events: null },
      { ...good, events: { ...room.events, [Object.keys(room.events)[3] as string]: 'garbage' } },
      { ...good, rejectedEventIds: {} },
    ];
    for (const input of bad) {
      for (const placement of ['pool', 'inline', 'auto'] as const) {
        const result = await pool.resolveState(input as never, { placement });
        expect(result.ok, `${placement}: ${JSON.stringify(input)?.slice(0, 60)}`).toBe(false);
        if (!result.ok) expect(result.reason.length).toBeGreaterThan(0);
      }
    }
    expect((await pool.resolveState(good, { placement: 'pool' })).ok).toBe(true);
  });

  it('answers input that cannot be cloned with an error value, streamed or not', async () => {
    const small = benchRoom({ roomVersion: '10', stateEvents: 100, conflicted: 10 });
    const large = benchRoom({ roomVersion: '10', stateEvents: 3_000, conflicted: 100 });
    for (const room of [small, large]) {
      const events = { ...room.events, zz: { notCloneable: () => 1 } };
      const result = await pool.resolveState({ roomVersion: '10', stateSets: room.stateSets, events }, { placement: 'pool' });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/could not be cloned/) });
    }
    expect((await pool.resolveState({ roomVersion: '10', stateSets: large.stateSets, events: large.events }, { placement: 'pool' })).ok).toBe(true);
  });

  it('reports a task over its time limit as an error and keeps working', async () => {
    const room = benchRoom({ roomVersion: '10', stateEvents: 3_000, conflicted: 200 });
    const input = { roomVersion: '10', stateSets: room.stateSets, events: room.events };
    const result = await pool.resolveState(input, { placement: 'pool', timeoutMs: 1 });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/failed in the worker pool/) });
    expect((await pool.resolveState(input, { placement: 'pool' })).ok).toBe(true);
  });
});

describe('protocol pool: verifyBatch', () => {
  it('gives the inline verdicts in a worker, small and streamed batches alike', async () => {
    const pdus = Array.from({ length: 300 }, (_, n) => signed(message(n)));
    pdus[7] = { ...pdus[7], content: { body: 'tampered' } };
    pdus[8] = { ...pdus[8], origin_server_ts: 1 };
    for (const size of [5, 300]) {
      const input = { pdus: pdus.slice(0, size), roomVersion: '10', keys: KEYS };
      const inline = verifyBatch(input);
      for (const placement of ['pool', 'auto'] as const) expect(await pool.verifyBatch(input, { placement })).toEqual(inline);
    }
    const inline = verifyBatch({ pdus, roomVersion: '10', keys: KEYS });
    expect(inline.ok && inline.results.filter((r) => !r.ok).length).toBe(2);
  });

  it('answers malformed batches with an error value and keeps working', async () => {
    for (const input of [null, { pdus: 3 }, { pdus: [], roomVersion: 1, keys: {} }, { pdus: [() => 1], roomVersion: '10', keys: {} }]) {
      const result = await pool.verifyBatch(input as never, { placement: 'pool' });
      expect(result.ok).toBe(false);
    }
    const result = await pool.verifyBatch({ pdus: [signed(message(1))], roomVersion: '10', keys: KEYS }, { placement: 'pool' });
    expect(result).toMatchObject({ ok: true, results: [{ ok: true }] });
  });
});

describe('protocol pool: lifecycle', () => {
  it('survives a worker that runs out of memory', async () => {
    // Enough heap to start a worker, far too little for a 30,000-event room.
    const tight = createProtocolPool({ threads: 1, maxWorkerHeapMb: 32 });
    try {
      const room = benchRoom({ roomVersion: '10', stateEvents: 30_000, conflicted: 100 });
      const result = await tight.resolveState({ roomVersion: '10', stateSets: room.stateSets, events: room.events }, { placement: 'pool' });
      expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/memory/) });
      const small = benchRoom({ roomVersion: '10', stateEvents: 20, conflicted: 4 });
      expect((await tight.resolveState({ roomVersion: '10', stateSets: small.stateSets, events: small.events }, { placement: 'pool' })).ok).toBe(true);
    } finally {
      await tight.destroy();
    }
  });

  it('answers after destroy with an error value; destroy is idempotent', async () => {
    const other = createProtocolPool({ threads: 1 });
    await other.destroy();
    await other.destroy();
    expect(await other.resolveState({ roomVersion: '10', stateSets: [], events: {} }, { placement: 'pool' })).toEqual({ ok: false, reason: 'protocol pool is closed' });
    expect(await other.verifyBatch({ pdus: [], roomVersion: '10', keys: {} }, { placement: 'pool' })).toEqual({ ok: false, reason: 'protocol pool is closed' });
  });
});
