// Protocol benchmark (`npm run bench:protocol [-- --quick]`): the CPU cost of the federation
// hot paths and whether the worker pool keeps the event loop responsive.
//   1. sign+hash of a 1 KB event (content hash, redaction, ed25519 over the redacted form)
//      and verification (event ID, signatures, content hash), per core;
//   2. state resolution on synthetic rooms of 1k, 10k and 30k state events with 100 and
//      1,000 conflicted events, inline and through the pool, with the event loop's p99
//      delay while the pool works (perf_hooks.monitorEventLoopDelay);
//   3. the sizes below which running a task inline beats the pool's round trip.
// Rates are given per second of thread CPU time as well as per wall-clock second: on a
// shared machine the wall clock also counts time other processes held the core.
// Results: bench/results/protocol.json and protocol.svg.
import { randomBytes, sign } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseArgs } from 'node:util';
import { encodeBase64 } from '../src/protocol/base64.ts';
import { canonicalJson } from '../src/protocol/canonical-json.ts';
import { hashAndSignEvent } from '../src/protocol/event-signing.ts';
import { signingKeyFromSeed } from '../src/protocol/signing.ts';
import { tryResolveState } from '../src/protocol/state-res/index.ts';
import { INLINE_THRESHOLDS } from '../src/workers/inline-thresholds.ts';
import { createProtocolPool, type ProtocolPool } from '../src/workers/protocol-pool.ts';
import { verifyBatch } from '../src/workers/verify-batch.ts';
import { benchRoom, type BenchRoom } from '../test/protocol/state-res/synthetic-room.ts';
import { barChart, lineChart } from './lib/svg-plot.ts';
import { measureRate, threadCpuMs, type Rate } from './lib/measure-rate.ts';

const { values: args } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const QUICK = args.quick === true;
const RUNS = QUICK ? 3 : 7;
const SERVER = 'bench.example.org';
const KEY = signingKeyFromSeed('ed25519:bench', new Uint8Array(randomBytes(32)));
const ROOM_VERSION = '10';
/** Longest a task may run inline on the event loop. */
const INLINE_BUDGET_MS = 2;

// A full collection before each monitored phase, so garbage from building the previous
// synthetic room is not collected (and counted as a stall) while the pool works.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const log = (text: string): void => console.log(text);

// ---------------------------------------------------------------- sign, hash, verify

/** An m.room.message whose canonical JSON (before hashes and signatures) is ~1,024 bytes. */
function oneKilobyteEvent(n: number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    room_id: '!bench:bench.example.org',
    type: 'm.room.message',
    sender: `@user${n}:${SERVER}`,
    content: { msgtype: 'm.text', body: '' },
    prev_events: ['$Kh4dp6Vv2tCxnKbmy3yPAf1vVfGDXk2MjhcKUUOB8Kc'],
    auth_events: ['$hVx0kdsbRN0WzXxvfI1VdTtYjCY2hSmx7C2N2yGd7jg', '$BpZdeh1tEJ9Ap2pJnpnUnb3CmgS6YukNoQW6bHLF5Dk'],
    depth: 1000 + n,
    origin_server_ts: 1_700_000_000_000 + n,
  };
  const padding = 1024 - canonicalJson(event).length;
  (event.content as Record<string, string>).body = 'x'.repeat(Math.max(0, padding));
  return event;
}

function benchSignAndVerify(pool: ProtocolPool): Promise<Record<string, unknown>> {
  const events = Array.from({ length: 1000 }, (_, i) => oneKilobyteEvent(i));
  const bytes = canonicalJson(events[0]).length;
  const signHash = measureRate(QUICK ? 1000 : 3000, (i) => hashAndSignEvent(events[i % events.length] as object, SERVER, KEY, ROOM_VERSION));
  log(`sign+hash of a ${bytes}-byte event: ${signHash.perCpuSecond}/s per CPU second (${signHash.perWallSecond}/s wall)`);
  // The ceiling: node:crypto's ed25519 signature alone over the same bytes.
  const encoded = events.map((e) => Buffer.from(canonicalJson(e)));
  const rawSign = measureRate(QUICK ? 1000 : 3000, (i) => sign(null, encoded[i % encoded.length] as Buffer, KEY.privateKey));
  log(`ed25519 signature alone over ${bytes} bytes: ${rawSign.perCpuSecond}/s per CPU second`);

  const signed = events.map((e) => hashAndSignEvent(e, SERVER, KEY, ROOM_VERSION));
  const keys = { [SERVER]: { [KEY.keyId]: encodeBase64(KEY.publicKey) } };
  const batch = { pdus: signed.slice(0, 100), roomVersion: ROOM_VERSION, keys };
  const check = verifyBatch(batch);
  if (!check.ok || !check.results.every((r) => r.ok)) throw new Error('benchmark events do not verify');
  // Per PDU, in batches of 100 (the key is decoded once per batch, as in real use).
  const batchRate = measureRate(QUICK ? 1000 : 3000, () => verifyBatch(batch));
  const verifyInline: Rate = { ops: batchRate.ops * 100, perCpuSecond: batchRate.perCpuSecond * 100, perWallSecond: batchRate.perWallSecond * 100 };
  log(`verify (ID, signature, content hash): ${verifyInline.perCpuSecond}/s per CPU second (${verifyInline.perWallSecond}/s wall)`);

  return (async () => {
    // All pool threads busy: batches of 100 PDUs, two in flight per thread.
    const batches = QUICK ? 40 : 120;
    const inFlight = pool.threads * 2;
    await pool.verifyBatch(batch, { placement: 'pool' });
    const start = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < batches) {
          const i = next++;
          const result = await pool.verifyBatch({ ...batch, pdus: signed.slice((i % 10) * 100, (i % 10) * 100 + 100) }, { placement: 'pool' });
          if (!result.ok) throw new Error(result.reason);
        }
      }),
    );
    const poolRate = Math.round(((batches * 100) / (performance.now() - start)) * 1000);
    log(`verify through the pool (${pool.threads} threads): ${poolRate}/s wall`);
    return {
      eventBytes: bytes,
      signHash,
      ed25519SignOnly: rawSign,
      verify: verifyInline,
      verifyPoolPerWallSecond: poolRate,
      targets: { signHashPerCore: 15_000, met: signHash.perCpuSecond >= 15_000 },
    };
  })();
}

// ---------------------------------------------------------------- state resolution

interface StateResRow {
  roomVersion: string;
  stateEvents: number;
  conflicted: number;
  eventsSupplied: number;
  inlineWallMs: number;
  inlineCpuMs: number;
  firstRunCpuMs: number;
  poolWallMs: number;
  poolLoopDelayP99Ms: number;
  poolLoopDelayMaxMs: number;
  /** Main-thread GC pauses during the pool phase (they stall the loop too). */
  poolGcPauseMaxMs: number;
}

function eventLoopMonitor(): { stop: () => { p99: number; max: number; gcMax: number } } {
  collectGarbage();
  let gcMax = 0;
  const record = (entries: readonly { duration: number }[]): void => {
    for (const entry of entries) gcMax = Math.max(gcMax, entry.duration);
  };
  const gc = new PerformanceObserver((list) => record(list.getEntries()));
  gc.observe({ entryTypes: ['gc'] });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  return {
    stop: () => {
      histogram.disable();
      record(gc.takeRecords()); // entries not yet delivered to the callback
      gc.disconnect();
      return { p99: round(histogram.percentile(99) / 1e6), max: round(histogram.max / 1e6), gcMax: round(gcMax) };
    },
  };
}

/** The event loop's delay while nothing runs: the floor the machine itself imposes. */
async function idleLoopDelay(ms: number): Promise<{ p99: number; max: number; gcMax: number }> {
  const monitor = eventLoopMonitor();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return monitor.stop();
}

async function benchStateRes(pool: ProtocolPool, roomVersion: string, stateEvents: number, conflicted: number): Promise<StateResRow> {
  const room: BenchRoom = benchRoom({ roomVersion, stateEvents, conflicted });
  const input = { roomVersion, stateSets: room.stateSets, events: room.events };
  let firstRunCpuMs = Number.NaN;
  const inlineWall: number[] = [];
  const inlineCpu: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const wall = performance.now();
    const cpu = threadCpuMs();
    const result = tryResolveState(roomVersion, room.stateSets, room.events);
    if (!result.ok) throw new Error(result.reason);
    if (run === 0) firstRunCpuMs = threadCpuMs() - cpu;
    else {
      inlineCpu.push(threadCpuMs() - cpu);
      inlineWall.push(performance.now() - wall);
    }
  }
  await pool.resolveState(input, { placement: 'pool' }); // warm the workers on this shape
  const poolWall: number[] = [];
  const monitor = eventLoopMonitor();
  for (let run = 0; run < RUNS; run++) {
    const wall = performance.now();
    const result = await pool.resolveState(input, { placement: 'pool' });
    poolWall.push(performance.now() - wall);
    if (!result.ok) throw new Error(result.reason);
  }
  const delay = monitor.stop();
  const row: StateResRow = {
    roomVersion,
    stateEvents,
    conflicted,
    eventsSupplied: Object.keys(room.events).length,
    inlineWallMs: round(median(inlineWall)),
    inlineCpuMs: round(median(inlineCpu)),
    firstRunCpuMs: round(firstRunCpuMs),
    poolWallMs: round(median(poolWall)),
    poolLoopDelayP99Ms: delay.p99,
    poolLoopDelayMaxMs: delay.max,
    poolGcPauseMaxMs: delay.gcMax,
  };
  log(
    `state res v${roomVersion} ${stateEvents} events / ${conflicted} conflicted: inline ${row.inlineWallMs} ms ` +
      `(cpu ${row.inlineCpuMs}, first run cpu ${row.firstRunCpuMs}), pool ${row.poolWallMs} ms, loop p99 ${delay.p99} ms, max ${delay.max} ms (gc max ${delay.gcMax} ms)`,
  );
  return row;
}

// ---------------------------------------------------------------- inline thresholds

async function timeMedian(runs: number, task: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await task();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function benchThresholds(pool: ProtocolPool): Promise<Record<string, unknown>> {
  const runs = QUICK ? 15 : 41;
  const resolveRows: Array<{ events: number; inlineMs: number; poolMs: number }> = [];
  for (const stateEvents of [10, 25, 50, 100, 200, 400, 800]) {
    const room = benchRoom({ roomVersion: ROOM_VERSION, stateEvents, conflicted: Math.max(4, stateEvents / 10), moderators: 2 });
    const input = { roomVersion: ROOM_VERSION, stateSets: room.stateSets, events: room.events };
    await pool.resolveState(input, { placement: 'pool' });
    const inlineMs = await timeMedian(runs, () => pool.resolveState(input, { placement: 'inline' }));
    const poolMs = await timeMedian(runs, () => pool.resolveState(input, { placement: 'pool' }));
    resolveRows.push({ events: Object.keys(room.events).length, inlineMs: round(inlineMs, 3), poolMs: round(poolMs, 3) });
  }
  const events = Array.from({ length: 128 }, (_, i) => hashAndSignEvent(oneKilobyteEvent(i), SERVER, KEY, ROOM_VERSION));
  const keys = { [SERVER]: { [KEY.keyId]: encodeBase64(KEY.publicKey) } };
  const verifyRows: Array<{ pdus: number; inlineMs: number; poolMs: number }> = [];
  for (const size of [1, 2, 4, 8, 16, 32, 64, 128]) {
    const batch = { pdus: events.slice(0, size), roomVersion: ROOM_VERSION, keys };
    await pool.verifyBatch(batch, { placement: 'pool' });
    const inlineMs = await timeMedian(runs, () => pool.verifyBatch(batch, { placement: 'inline' }));
    const poolMs = await timeMedian(runs, () => pool.verifyBatch(batch, { placement: 'pool' }));
    verifyRows.push({ pdus: size, inlineMs: round(inlineMs, 3), poolMs: round(poolMs, 3) });
  }
  // The threshold: the largest measured size up to which inline is never slower than the
  // pool and stays within the event loop budget (a longer inline task delays every request).
  const lastInline = <T extends { inlineMs: number; poolMs: number }>(rows: T[], size: (row: T) => number): number => {
    let threshold = 0;
    for (const row of rows) {
      if (row.inlineMs <= row.poolMs && row.inlineMs <= INLINE_BUDGET_MS) threshold = size(row);
      else break;
    }
    return threshold;
  };
  const result = {
    resolveState: resolveRows,
    verifyBatch: verifyRows,
    inlineBudgetMs: INLINE_BUDGET_MS,
    configured: INLINE_THRESHOLDS,
    resolveStateEvents: lastInline(resolveRows, (r) => r.events),
    verifyBatchPdus: lastInline(verifyRows, (r) => r.pdus),
  };
  log(`inline thresholds: resolveState ≤ ${result.resolveStateEvents} events, verifyBatch ≤ ${result.verifyBatchPdus} PDUs`);
  for (const row of resolveRows) log(`  resolveState ${row.events} events: inline ${row.inlineMs} ms, pool ${row.poolMs} ms`);
  for (const row of verifyRows) log(`  verifyBatch ${row.pdus} PDUs: inline ${row.inlineMs} ms, pool ${row.poolMs} ms`);
  return result;
}

// ---------------------------------------------------------------- report

function svg(stateRes: StateResRow[], signVerify: Record<string, unknown>): string {
  const series = ['inline', 'pool'].flatMap((mode) =>
    [100, 1000].flatMap((conflicted) =>
      [...new Set(stateRes.map((r) => r.roomVersion))].map((roomVersion) => ({
        name: `${mode} v${roomVersion}, ${conflicted} conflicted`,
        points: stateRes
          .filter((r) => r.conflicted === conflicted && r.roomVersion === roomVersion)
          .map((r): [number, number] => [r.stateEvents, mode === 'inline' ? r.inlineWallMs : r.poolWallMs]),
      })),
    ),
  );
  const line = lineChart({ title: 'State resolution (median wall time)', xLabel: 'state events per state set', yLabel: 'ms', series, logX: true });
  const rate = (key: string): number => (signVerify[key] as Rate).perCpuSecond;
  const bars = barChart({
    title: 'Signing and verification throughput',
    yLabel: 'operations per second',
    bars: [
      { label: 'sign+hash / CPU s', value: rate('signHash') },
      { label: 'verify / CPU s', value: rate('verify') },
      { label: 'verify, pool (wall)', value: signVerify.verifyPoolPerWallSecond as number },
    ],
  });
  const nest = (chart: string, y: number): string => chart.replace('<svg ', `<svg y="${y}" `);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="960" viewBox="0 0 800 960">',
    nest(line, 0),
    nest(bars, 480),
    '</svg>',
  ].join('\n');
}

async function main(): Promise<void> {
  const pool = createProtocolPool();
  const machine = {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
    poolThreads: pool.threads,
  };
  log(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}`);
  try {
    // Let the workers finish starting (loading modules) first: on 2 cores their start-up
    // would otherwise share the CPU with the single-thread measurements below.
    await pool.verifyBatch({ pdus: [], roomVersion: '10', keys: {} }, { placement: 'pool' });
    await new Promise((r) => setTimeout(r, 500));
    const signVerify = await benchSignAndVerify(pool);
    const idle = await idleLoopDelay(QUICK ? 1000 : 3000);
    log(`event loop delay while idle: p99 ${idle.p99} ms, max ${idle.max} ms`);
    const stateRes: StateResRow[] = [];
    for (const roomVersion of ['10', '12']) {
      for (const stateEvents of [1_000, 10_000, 30_000]) {
        for (const conflicted of [100, 1_000]) stateRes.push(await benchStateRes(pool, roomVersion, stateEvents, conflicted));
      }
    }
    if (!QUICK) stateRes.push(await benchStateRes(pool, '1', 30_000, 1_000));
    const thresholds = await benchThresholds(pool);
    const big = stateRes.filter((r) => r.stateEvents === 30_000 && r.conflicted === 1_000);
    const worstP99 = Math.max(...stateRes.map((r) => r.poolLoopDelayP99Ms));
    const results = {
      machine: { ...machine, loadAverageAtEnd: loadavg().map((l) => round(l, 2)) },
      signVerify,
      eventLoopIdle: idle,
      stateResolution: stateRes,
      inlineThresholds: thresholds,
      targets: {
        signHashPerCorePerSecond: { target: 15_000, measured: (signVerify.signHash as Rate).perCpuSecond },
        resolve30kWith1000ConflictsMs: { target: 1_000, measuredInlineWall: big.map((r) => r.inlineWallMs), measuredPoolWall: big.map((r) => r.poolWallMs) },
        eventLoopP99WhilePoolWorksMs: { target: 20, measuredWorst: worstP99, idleBaseline: idle.p99 },
      },
    };
    mkdirSync('bench/results', { recursive: true });
    writeFileSync('bench/results/protocol.json', `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync('bench/results/protocol.svg', svg(stateRes, signVerify));
    log('wrote bench/results/protocol.json and protocol.svg');
  } finally {
    await pool.destroy();
  }
}

await main();
