// Density benchmark (`npm run bench:density [-- --tenants 1000]`): how much memory one more
// loaded idle tenant costs a shard, how long provisioning a tenant takes as the fleet grows,
// and whether request latency stays flat as more tenants are loaded.
//
// The shard runs as a child process (`node src/main.ts`) so its RSS is its own; this process
// is the load generator. Three shard processes run in turn against one embedded PostgreSQL:
//   A  empty database: start-up baseline, then provisions N tenants through the admin API;
//   B  restarted with N idle tenants: loads them one request each, sampling RSS and heap;
//   C  restarted again: key-request latency with 10, N/10, N/2 and N tenants loaded.
// Separate processes keep the latency bursts' garbage and heap growth out of B's memory
// series, and B's start-up shows what N provisioned-but-unloaded tenants cost (nothing, ideally).
// Results: bench/results/density.json, density.svg (memory) and density-latency.svg.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { Agent, request } from 'undici';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/db/embedded-postgres.ts';
import { freePort } from '../src/db/free-port.ts';
import {
  Inspector,
  metric,
  postgresMemory,
  readProcMemory,
  scrapeMetrics,
  spawnShard,
  type ShardProcess,
} from './lib/density-process.ts';
import { linearFit, median, round, summarize, type Summary } from './lib/density-stats.ts';
import { latencyChart, memoryChart } from './lib/density-charts.ts';

const USAGE = `usage: npm run bench:density -- [options]
  --tenants N        tenants to provision and load (default 1000)
  --requests N       key requests per latency stage (default 5000)
  --concurrency N    concurrent requests in a latency stage (default 16)
  --gc               force a full GC in the shard (over --inspect) before each memory sample
  --heap-snapshots D write shard heap snapshots (0 and N tenants loaded) into directory D
  --out D            results directory (default bench/results)`;

const { values: args } = parseArgs({
  options: {
    tenants: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '16' },
    gc: { type: 'boolean', default: false },
    'heap-snapshots': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

function positiveInt(name: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer, got "${raw}"\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

const REPO = resolve(import.meta.dirname, '..');
const N = positiveInt('tenants', args.tenants);
const REQUESTS = positiveInt('requests', args.requests);
const CONCURRENCY = positiveInt('concurrency', args.concurrency);
const FORCE_GC = args.gc;
const SNAPSHOT_DIR = args['heap-snapshots'] ? resolve(args['heap-snapshots']) : undefined;
const OUT_DIR = resolve(args.out ?? join(REPO, 'bench/results'));
const SAMPLE_EVERY = Math.max(1, Math.round(N / 20));
const LATENCY_STAGES = [...new Set([Math.min(10, N), Math.round(N / 10), Math.round(N / 2), N])]
  .filter((n) => n >= 1)
  .sort((a, b) => a - b);
const WARMUP_REQUESTS = Math.min(REQUESTS, 2_000);
const LATENCY_ROUNDS = 5;
const ADMIN_TOKEN = `bench-${randomBytes(16).toString('hex')}`;
const SERVER_NAME = (i: number): string => `t${i}.bench.example`;

// Targets (reported, not asserted).
const TARGET_MARGINAL_KB = 100;
const TARGET_PROVISION_P99_MS = 200;
// "Flat": at N loaded, p50 at most 1.5× (+0.1 ms) and p99 at most 2× (+0.5 ms) of the 10-tenant stage.
const FLAT_P50 = { factor: 1.5, slackMs: 0.1 };
const FLAT_P99 = { factor: 2, slackMs: 0.5 };

const MB = 1024 * 1024;
const toMB = (bytes: number): number => round(bytes / MB, 2);

const failures: string[] = [];
const benchStarted = Date.now();
const loadAtStart = loadavg()[0] ?? 0;
const tmp = mkdtempSync(join(tmpdir(), 'tessera-density-'));
// As root, PostgreSQL runs as the "postgres" user, which must be able to enter (not list) it.
chmodSync(tmp, 0o711);
let postgres: EmbeddedPostgresHandle | undefined;
let current: { shard: ShardProcess; inspector?: Inspector } | undefined;
const exits: Array<{ process: string; code: number | null; signal: string | null; killed: boolean }> = [];
const warnings: string[] = [];
const agent = new Agent({ connections: CONCURRENCY + 4, keepAliveTimeout: 30_000 });

function log(message: string): void {
  const seconds = ((Date.now() - benchStarted) / 1000).toFixed(1).padStart(6);
  console.log(`[density ${seconds}s] ${message}`);
}

// ---------------------------------------------------------------------------------------------
// The shard process

interface RunningShard {
  label: string;
  /** Spawn to the first 200 from /health. */
  startupSeconds: number;
  process: ShardProcess;
  url: string;
  adminUrl: string;
  inspector?: Inspector;
}

async function startShardProcess(label: string): Promise<RunningShard> {
  if (!postgres) throw new Error('PostgreSQL is not running');
  const [port, adminPort] = [await freePort(), await freePort()];
  const inspectPort = FORCE_GC || SNAPSHOT_DIR ? await freePort() : undefined;
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    HOST: '127.0.0.1',
    PORT: String(port),
    ADMIN_HOST: '127.0.0.1',
    ADMIN_PORT: String(adminPort),
    ADMIN_TOKEN,
    DATABASE_URL: postgres.url,
    DATA_DIR: join(tmp, 'shard'),
    LOG_LEVEL: 'warn',
    SHARD_NAME: 'bench-density',
    MAX_LOADED_TENANTS: String(Math.max(2 * N, 10_000)),
    TENANT_IDLE_MS: String(86_400_000),
  };
  const spawned = performance.now();
  const shardProcess = spawnShard({ cwd: REPO, env, inspectPort });
  current = { shard: shardProcess };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const exited = shardProcess.exited();
    if (exited) throw new Error(`shard ${label} exited during start-up (${JSON.stringify(exited)}):\n${shardProcess.tail()}`);
    try {
      const response = await request(`${url}/health`);
      await response.body.dump();
      if (response.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`shard ${label} did not answer /health within 60 s:\n${shardProcess.tail()}`);
    await sleep(100);
  }
  const startupSeconds = round((performance.now() - spawned) / 1000, 2);
  const inspector = inspectPort ? await Inspector.connect(inspectPort) : undefined;
  current.inspector = inspector;
  log(`shard ${label} up in ${startupSeconds} s (pid ${shardProcess.pid})`);
  return { label, startupSeconds, process: shardProcess, url, adminUrl: `http://127.0.0.1:${adminPort}`, inspector };
}

async function stopShardProcess(shard: RunningShard): Promise<void> {
  shard.inspector?.close();
  const result = await shard.process.stop();
  current = undefined;
  exits.push({ process: shard.label, code: result.code, signal: result.signal, killed: result.killed });
  warnings.push(...shard.process.warnings.map((w) => `${shard.label}: ${w}`));
  if (result.code !== 0 || result.killed) {
    failures.push(`shard ${shard.label} did not exit cleanly on SIGTERM: ${JSON.stringify(result)}\n${shard.process.tail()}`);
  }
  log(`shard ${shard.label} stopped (exit ${result.code ?? result.signal})`);
}

// ---------------------------------------------------------------------------------------------
// Memory samples

interface MemorySample {
  rssMB: number;
  rssAnonMB: number;
  heapUsedMB: number;
  heapTotalMB: number;
  externalMB: number;
  /** prom-client's process_resident_memory_bytes, as a cross-check of VmRSS. */
  promRssMB: number;
  loadedTenants: number;
}

async function sampleOnce(shard: RunningShard): Promise<MemorySample> {
  // /proc first: the scrape itself allocates in the shard.
  const proc = readProcMemory(shard.process.pid);
  const samples = await scrapeMetrics(shard.adminUrl, ADMIN_TOKEN);
  return {
    rssMB: toMB(proc.vmRss),
    rssAnonMB: toMB(proc.rssAnon),
    heapUsedMB: toMB(metric(samples, 'nodejs_heap_size_used_bytes')),
    heapTotalMB: toMB(metric(samples, 'nodejs_heap_size_total_bytes')),
    externalMB: toMB(metric(samples, 'nodejs_external_memory_bytes')),
    promRssMB: toMB(metric(samples, 'process_resident_memory_bytes')),
    loadedTenants: metric(samples, 'tessera_loaded_tenants'),
  };
}

/** Median, field by field, of `count` samples `gapMs` apart (after a forced GC with --gc). */
async function sampleMemory(shard: RunningShard, count: number, gapMs: number): Promise<MemorySample> {
  const samples: MemorySample[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0 || !FORCE_GC) await sleep(gapMs);
    if (shard.inspector && FORCE_GC) await shard.inspector.collectGarbage();
    samples.push(await sampleOnce(shard));
  }
  const field = (key: keyof MemorySample): number => median(samples.map((s) => s[key]));
  return {
    rssMB: field('rssMB'),
    rssAnonMB: field('rssAnonMB'),
    heapUsedMB: field('heapUsedMB'),
    heapTotalMB: field('heapTotalMB'),
    externalMB: field('externalMB'),
    promRssMB: field('promRssMB'),
    loadedTenants: field('loadedTenants'),
  };
}

/** Start-up baseline: settle, then the median of five samples a second apart. */
async function baseline(shard: RunningShard): Promise<MemorySample> {
  await sleep(2_000);
  return sampleMemory(shard, 5, 1_000);
}

function postgresSnapshot(): { processes: number; pssMB: number } {
  const m = postgresMemory();
  return { processes: m.processes, pssMB: toMB(m.pssBytes) };
}

// ---------------------------------------------------------------------------------------------
// HTTP

async function provision(shard: RunningShard, serverName: string): Promise<number> {
  const started = performance.now();
  const response = await request(`${shard.adminUrl}/_tessera/admin/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ server_name: serverName }),
    dispatcher: agent,
  });
  const text = await response.body.text();
  const ms = performance.now() - started;
  if (response.statusCode !== 201) throw new Error(`provisioning ${serverName} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return ms;
}

/** GET /_matrix/key/v2/server as `serverName`; checks the answer names that server. */
async function keyRequest(shard: RunningShard, serverName: string, check: boolean): Promise<{ ms: number; ok: boolean }> {
  const started = performance.now();
  const response = await request(`${shard.url}/_matrix/key/v2/server`, { headers: { host: serverName }, dispatcher: agent });
  const text = await response.body.text();
  const ms = performance.now() - started;
  let ok = response.statusCode === 200;
  if (ok && check) {
    const body = JSON.parse(text) as { server_name?: string; verify_keys?: object; signatures?: Record<string, object> };
    ok = body.server_name === serverName && Object.keys(body.verify_keys ?? {}).length === 1 && !!body.signatures?.[serverName];
  }
  if (!ok && check) throw new Error(`key request for ${serverName} answered ${response.statusCode}: ${text.slice(0, 300)}`);
  return { ms, ok };
}

interface LatencyStage {
  loadedTenants: number;
  requests: number;
  concurrency: number;
  errors: number;
  throughputPerSecond: number;
  /** All requests of the stage pooled. */
  ms: Summary;
  /** p50 and p99 of each round; their medians judge flatness, robust to a busy moment on a shared machine. */
  rounds: Array<{ p50: number; p99: number }>;
  medianRoundP50: number;
  medianRoundP99: number;
  loadAverage1m: number;
}

/** `count` key requests, `CONCURRENCY` at a time, each for a random one of the first `loaded` tenants. */
async function burst(shard: RunningShard, loaded: number, count: number): Promise<{ durations: number[]; errors: number; seconds: number }> {
  const durations: number[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (issued < count) {
        issued++;
        const result = await keyRequest(shard, SERVER_NAME(Math.floor(Math.random() * loaded)), false);
        durations.push(result.ms);
        if (!result.ok) errors++;
      }
    }),
  );
  return { durations, errors, seconds: (performance.now() - started) / 1000 };
}

/** One latency stage: REQUESTS requests in LATENCY_ROUNDS bursts. */
async function latencyStage(shard: RunningShard, loaded: number): Promise<LatencyStage> {
  const all: number[] = [];
  const rounds: Array<{ p50: number; p99: number }> = [];
  let errors = 0;
  let seconds = 0;
  for (let round = 0; round < LATENCY_ROUNDS; round++) {
    const count = Math.floor(REQUESTS / LATENCY_ROUNDS) + (round < REQUESTS % LATENCY_ROUNDS ? 1 : 0);
    if (count === 0) continue;
    const result = await burst(shard, loaded, count);
    all.push(...result.durations);
    errors += result.errors;
    seconds += result.seconds;
    const summary = summarize(result.durations, 3);
    rounds.push({ p50: summary.p50, p99: summary.p99 });
  }
  return {
    loadedTenants: loaded,
    requests: all.length,
    concurrency: CONCURRENCY,
    errors,
    throughputPerSecond: Math.round(all.length / seconds),
    ms: summarize(all, 3),
    rounds,
    medianRoundP50: median(rounds.map((r) => r.p50)),
    medianRoundP99: median(rounds.map((r) => r.p99)),
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  };
}

// ---------------------------------------------------------------------------------------------
// The run

async function databaseFacts(url: string): Promise<{ sizeMB: number; schemas: number; tables: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ size: string; schemas: string; tables: string }>(
      `SELECT pg_database_size(current_database()) AS size,
              (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't\\_%') AS schemas,
              (SELECT count(*) FROM pg_class WHERE relkind = 'r') AS tables`,
    );
    const row = rows[0] as { size: string; schemas: string; tables: string };
    return { sizeMB: toMB(Number(row.size)), schemas: Number(row.schemas), tables: Number(row.tables) };
  } finally {
    await client.end();
  }
}

function machine(): Record<string, unknown> {
  const git = (...argv: string[]): string | undefined => {
    try {
      return execFileSync('git', ['--no-optional-locks', ...argv], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return undefined;
    }
  };
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    totalMemoryGiB: round(totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${process.platform} ${release()}`,
    date: new Date(benchStarted).toISOString(),
    commit: git('rev-parse', 'HEAD'),
    uncommittedChanges: (git('status', '--porcelain', '--untracked-files=no') ?? '') !== '',
    /** 1-minute load average when the run started and ended: other work on the machine skews timings. */
    loadAverage1m: { start: round(loadAtStart, 2), end: round(loadavg()[0] ?? 0, 2) },
  };
}

async function run(): Promise<Record<string, unknown>> {
  log(`N=${N} tenants, ${REQUESTS} requests × ${LATENCY_STAGES.length} latency stages at concurrency ${CONCURRENCY}`);
  postgres = await startEmbeddedPostgres({ dataDir: join(tmp, 'pg'), fsync: false, log: () => {} });
  log(`embedded PostgreSQL up (fsync off)`);

  // A: start-up baseline on an empty database, then provisioning.
  const a = await startShardProcess('A');
  const startupBaseline = await baseline(a);
  log(`baseline: RSS ${startupBaseline.rssMB} MB, heap ${startupBaseline.heapUsedMB} MB`);
  const provisionMs: number[] = [];
  const provisionStarted = Date.now();
  for (let i = 0; i < N; i++) {
    provisionMs.push(await provision(a, SERVER_NAME(i)));
    if ((i + 1) % Math.max(1, Math.round(N / 10)) === 0 || i === N - 1) {
      const recent = provisionMs.slice(-Math.max(1, Math.round(N / 10)));
      log(`provisioned ${i + 1}/${N} (last block p50 ${round(median(recent), 1)} ms, max ${round(Math.max(...recent), 1)} ms)`);
    }
  }
  const provisionSeconds = (Date.now() - provisionStarted) / 1000;
  const afterProvisioning = await sampleMemory(a, 3, 500);
  await stopShardProcess(a);
  const database = await databaseFacts(postgres.url);

  const blockSize = SAMPLE_EVERY;
  const provisionBlocks = [];
  for (let start = 0; start < N; start += blockSize) {
    const block = provisionMs.slice(start, start + blockSize);
    provisionBlocks.push({ existingTenants: start, ...summarize(block, 2) });
  }
  const provisionTrend = linearFit(provisionMs.map((ms, i) => [i, ms]));

  // B: restart with N idle tenants, load them one request each, sample memory along the way.
  const b = await startShardProcess('B');
  if (SNAPSHOT_DIR && b.inspector) {
    // Before the baseline: writing a snapshot grows the shard's RSS by tens of MB for good.
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    await b.inspector.writeHeapSnapshot(join(SNAPSHOT_DIR, 'density-0-loaded.heapsnapshot'));
  }
  const restartBaseline = await baseline(b);
  if (restartBaseline.loadedTenants !== 0) failures.push(`shard B started with ${restartBaseline.loadedTenants} tenants loaded`);
  const pgBefore = postgresSnapshot();
  const series: Array<MemorySample & { loaded: number }> = [{ loaded: 0, ...restartBaseline }];
  const firstRequestMs: number[] = [];
  for (let i = 0; i < N; i++) {
    firstRequestMs.push((await keyRequest(b, SERVER_NAME(i), true)).ms);
    const loaded = i + 1;
    if (loaded % SAMPLE_EVERY === 0 || loaded === N) {
      const sample = await sampleMemory(b, 3, 200);
      series.push({ loaded, ...sample });
      if (sample.loadedTenants !== loaded) failures.push(`after loading ${loaded} tenants, tessera_loaded_tenants was ${sample.loadedTenants}`);
      if (loaded % (SAMPLE_EVERY * 4) === 0 || loaded === N) log(`loaded ${loaded}/${N}: RSS ${sample.rssMB} MB, heap ${sample.heapUsedMB} MB`);
    }
  }
  const finalLoaded = metric(await scrapeMetrics(b.adminUrl, ADMIN_TOKEN), 'tessera_loaded_tenants');
  if (SNAPSHOT_DIR && b.inspector) await b.inspector.writeHeapSnapshot(join(SNAPSHOT_DIR, `density-${N}-loaded.heapsnapshot`));
  const pgAfter = postgresSnapshot();
  await stopShardProcess(b);

  // C: restart again; latency with 10, N/10, N/2 and N tenants loaded.
  const c = await startShardProcess('C');
  const stages: LatencyStage[] = [];
  let loadedInC = 0;
  for (const stage of LATENCY_STAGES) {
    for (; loadedInC < stage; loadedInC++) await keyRequest(c, SERVER_NAME(loadedInC), true);
    if (stages.length === 0) await burst(c, stage, WARMUP_REQUESTS);
    const result = await latencyStage(c, stage);
    if (result.errors > 0) failures.push(`${result.errors} key requests failed with ${stage} tenants loaded`);
    stages.push(result);
    log(`latency with ${stage} loaded: p50 ${result.ms.p50} ms, p99 ${result.ms.p99} ms (median of rounds ${result.medianRoundP50} / ${result.medianRoundP99} ms), ${result.throughputPerSecond} req/s`);
  }
  await stopShardProcess(c);

  // Analysis.
  const rssFit = linearFit(series.map((s) => [s.loaded, s.rssMB * 1024]));
  const heapFit = linearFit(series.map((s) => [s.loaded, s.heapUsedMB * 1024]));
  const first = series[0] as MemorySample;
  const last = series.at(-1) as MemorySample;
  const marginal = {
    rssKBPerTenantFit: round(rssFit.slope, 1),
    rssFitR2: round(rssFit.r2, 3),
    rssKBPerTenantEndpoints: round(((last.rssMB - first.rssMB) * 1024) / N, 1),
    heapUsedKBPerTenantFit: round(heapFit.slope, 1),
    heapFitR2: round(heapFit.r2, 3),
    heapUsedKBPerTenantEndpoints: round(((last.heapUsedMB - first.heapUsedMB) * 1024) / N, 1),
  };
  const lowest = stages[0] as LatencyStage;
  const highest = stages.at(-1) as LatencyStage;
  const p50Limit = round(lowest.medianRoundP50 * FLAT_P50.factor + FLAT_P50.slackMs, 3);
  const p99Limit = round(lowest.medianRoundP99 * FLAT_P99.factor + FLAT_P99.slackMs, 3);
  const provisioning = summarize(provisionMs, 2);

  return {
    benchmark: 'density',
    description:
      'Memory per loaded idle tenant, provisioning time and key-request latency of one shard process ' +
      '(node src/main.ts, measured from outside by /proc/<pid>/status and the admin /metrics).',
    machine: machine(),
    parameters: {
      tenants: N,
      sampleEvery: SAMPLE_EVERY,
      latencyStages: LATENCY_STAGES,
      requestsPerStage: REQUESTS,
      warmupRequests: WARMUP_REQUESTS,
      concurrency: CONCURRENCY,
      forcedGcBeforeSamples: FORCE_GC,
      inspectorAttached: FORCE_GC || SNAPSHOT_DIR !== undefined,
      memorySample: 'median of 3 samples 200 ms apart (baselines: 5 samples 1 s apart after 2 s settling)',
      postgres: 'embedded PostgreSQL on the same machine, fsync=off, synchronous_commit=off, full_page_writes=off',
      shardEnv: { LOG_LEVEL: 'warn', MAX_LOADED_TENANTS: Math.max(2 * N, 10_000), TENANT_IDLE_MS: 86_400_000, DATABASE_POOL_MAX: 20 },
    },
    notes: [
      'The load generator shares the 2-core machine with the shard and PostgreSQL; latency includes client-side queueing.',
      'Timings are wall-clock: other work on the machine shows in them (see machine.loadAverage1m and each latency stage).',
      'Process A provisions; B is a fresh shard with N idle tenants that loads them (memory series); C is another fresh shard for latency.',
      'Without --gc the heap figures include uncollected garbage; RSS includes heap space V8 keeps after collection.',
    ],
    startup: {
      secondsToHealthy: { emptyDatabase: a.startupSeconds, withIdleTenants: b.startupSeconds, withIdleTenantsAgain: c.startupSeconds },
      emptyDatabase: startupBaseline,
      afterProvisioning,
      withIdleTenants: restartBaseline,
    },
    provisioning: {
      totalSeconds: round(provisionSeconds, 1),
      ms: provisioning,
      msPer1000ExistingTenants: round(provisionTrend.slope * 1000, 1),
      trendR2: round(provisionTrend.r2, 3),
      blocks: provisionBlocks,
    },
    database: { ...database, sizeKBPerTenant: round((database.sizeMB * 1024) / N, 1) },
    loading: {
      firstRequestMs: summarize(firstRequestMs, 2),
      loadedTenantsMetricAtEnd: finalLoaded,
      series,
    },
    marginal,
    postgresMemory: { beforeLoading: pgBefore, afterLoading: pgAfter },
    latency: {
      stages,
      flat: {
        definition:
          `on the median over ${LATENCY_ROUNDS} rounds of each round's percentile: p50(N) ≤ ${FLAT_P50.factor}·p50(${lowest.loadedTenants}) + ${FLAT_P50.slackMs} ms ` +
          `and p99(N) ≤ ${FLAT_P99.factor}·p99(${lowest.loadedTenants}) + ${FLAT_P99.slackMs} ms`,
        p50Ratio: round(highest.medianRoundP50 / lowest.medianRoundP50, 2),
        p99Ratio: round(highest.medianRoundP99 / lowest.medianRoundP99, 2),
        p50LimitMs: p50Limit,
        p99LimitMs: p99Limit,
      },
    },
    targets: {
      marginalRssPerLoadedIdleTenant: {
        target: `≤ ${TARGET_MARGINAL_KB} KB`,
        measuredKB: marginal.rssKBPerTenantFit,
        met: marginal.rssKBPerTenantFit <= TARGET_MARGINAL_KB,
      },
      provisioningP99: {
        target: `≤ ${TARGET_PROVISION_P99_MS} ms`,
        measuredMs: provisioning.p99,
        met: provisioning.p99 <= TARGET_PROVISION_P99_MS,
      },
      latencyFlat: {
        target: `key-request latency flat from ${lowest.loadedTenants} to ${highest.loadedTenants} loaded tenants`,
        measured: `median-of-rounds p50 ${lowest.medianRoundP50} → ${highest.medianRoundP50} ms, p99 ${lowest.medianRoundP99} → ${highest.medianRoundP99} ms`,
        met: highest.medianRoundP50 <= p50Limit && highest.medianRoundP99 <= p99Limit,
      },
    },
    shard: { exits, warnings: warnings.slice(0, 20) },
    durationSeconds: 0,
  };
}

// ---------------------------------------------------------------------------------------------

async function cleanup(): Promise<void> {
  if (current) {
    current.inspector?.close();
    const result = await current.shard.stop().catch(() => undefined);
    if (result) exits.push({ process: 'interrupted', code: result.code, signal: result.signal, killed: result.killed });
    current = undefined;
  }
  await agent.close().catch(() => {});
  if (postgres) {
    await postgres.stop().catch((error: unknown) => failures.push(`stopping PostgreSQL failed: ${String(error)}`));
    postgres = undefined;
  }
  rmSync(tmp, { recursive: true, force: true });
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`density: ${signal}, cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

let results: Record<string, unknown> | undefined;
try {
  results = await run();
} catch (error) {
  failures.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
}
await cleanup();
if (results && !interrupted) {
  results.durationSeconds = round((Date.now() - benchStarted) / 1000, 1);
  results.failures = failures;
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'density.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(OUT_DIR, 'density.svg'), memoryChart(results) + '\n');
  writeFileSync(join(OUT_DIR, 'density-latency.svg'), latencyChart(results) + '\n');
  const targets = results.targets as Record<string, { target: string; met: boolean; measuredKB?: number; measuredMs?: number; measured?: string }>;
  log(`results in ${OUT_DIR}/density.json, density.svg, density-latency.svg`);
  for (const [name, t] of Object.entries(targets)) {
    log(`target ${name} ${t.target}: ${t.measuredKB ?? t.measuredMs ?? t.measured} → ${t.met ? 'met' : 'MISSED'}`);
  }
}
if (failures.length > 0) {
  for (const failure of failures) console.error(`density: FAILED: ${failure}`);
  process.exit(1);
}
