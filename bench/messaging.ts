// Messaging benchmark: `npm run bench:messaging`. N tenants × U users, each user in 1–5
// rooms; messages at a fixed rate over real HTTP with every user long-polling /sync.
// Measures send latency, send→sync delivery latency (first other member to receive it),
// the most events per second across rooms and into one room, and memory per tenant.
// The shard runs in this process (rate limits off, cheap password hashing); the load
// generator's HTTP clients run in a worker thread (lib/messaging-load.ts), off the shard's
// event loop but on the same two cores: latencies are upper bounds.
import { generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { startShard } from '../src/shard.ts';
import { Worker } from 'node:worker_threads';
import { round } from './lib/density-stats.ts';
import type { LoadInput, LoadResults, LoadUser as User } from './lib/messaging-load.ts';
import { barChart } from './lib/svg-plot.ts';
import { measureRate } from './lib/measure-rate.ts';

/** ed25519 signatures of 1 KiB per CPU second: how fast this VM is right now (its speed
 * varies by up to 40 % between runs; compare runs against this). */
function cpuSpeedReference(): number {
  const { privateKey } = generateKeyPairSync('ed25519');
  const message = Buffer.alloc(1024, 1);
  return measureRate(1000, () => sign(null, message, privateKey)).perCpuSecond;
}

const { values: args } = parseArgs({
  options: {
    tenants: { type: 'string', default: '20' },
    users: { type: 'string', default: '5' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
  },
});
const TENANTS = Number(args.tenants);
const USERS = Number(args.users);
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const CS = '/_matrix/client/v3';
const UNLIMITED = { burst: 1e9, perSecond: 1e9 };
const log = (line: string): void => console.log(`[messaging ${(performance.now() / 1000).toFixed(1)}s] ${line}`);

const agent = new Agent({
  connections: 256,
  connect: { lookup: (_h, opts, cb) => ((opts as { all?: boolean }).all ? cb(null, [{ address: '127.0.0.1', family: 4 }] as never, 4) : cb(null, '127.0.0.1', 4)) },
});

let port = 0;
async function http(host: string, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await request(`http://${host}:${port}${path}`, {
    method: method as 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: agent,
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function ok(host: string, method: string, path: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const res = await http(host, method, path, body, token);
  if (res.status !== 200) throw new Error(`${method} ${path} on ${host}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

async function register(host: string, username: string): Promise<{ userId: string; token: string }> {
  const body = { username, password: 'benchmark password' };
  const first = await http(host, 'POST', `${CS}/register`, body);
  const done = await ok(host, 'POST', `${CS}/register`, { ...body, auth: { type: 'm.login.dummy', session: first.json.session } });
  return { userId: done.user_id as string, token: done.access_token as string };
}

interface Memory {
  rssKB: number;
  heapKB: number;
}

v8.setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

function measureMemory(): Memory {
  gc();
  const usage = process.memoryUsage();
  return { rssKB: usage.rss / 1024, heapKB: usage.heapUsed / 1024 };
}

/** A tenant with USERS users; room r has members 0..r+1 (at least two), so users are in 1–5 rooms. */
async function setUpTenant(host: string): Promise<User[]> {
  const created = await request(`${adminUrl}/_tessera/admin/v1/tenants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ server_name: host, registration: 'open' }),
  });
  await created.body.dump();
  const members: User[] = [];
  for (let u = 0; u < USERS; u++) members.push({ tenant: host, ...(await register(host, `user${u}`)), rooms: [] });
  for (let r = 0; r < Math.min(5, USERS - 1); r++) {
    const roomId = (await ok(host, 'POST', `${CS}/createRoom`, { preset: 'public_chat' }, members[0]?.token)).room_id as string;
    for (let u = 0; u <= Math.min(r + 1, USERS - 1); u++) {
      const member = members[u] as User;
      if (u > 0) await ok(host, 'POST', `${CS}/join/${encodeURIComponent(roomId)}`, {}, member.token);
      member.rooms.push(roomId);
    }
  }
  return members;
}

let adminUrl = '';
let adminToken = '';

async function main(): Promise<void> {
  const speedReference = cpuSpeedReference();
  log(`CPU speed reference: ${speedReference} ed25519 signatures per CPU second`);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-messaging-'));
  // As root, PostgreSQL runs as `postgres`, which must be able to enter this directory.
  chmodSync(dir, 0o711);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'db'), fsync: false, log: () => {} });
  const shard = await startShard(
    {
      ...loadConfig({}),
      host: '127.0.0.1',
      port: 0,
      adminPort: 0,
      adminToken: 'messaging-benchmark-admin-token',
      dataDir: join(dir, 'data'),
      databaseUrl: postgres.url,
      logLevel: 'warn',
      accountSettings: { passwordHash: { logN: 10, r: 8, p: 1 } },
      rateLimits: { client: UNLIMITED, login: UNLIMITED, register: UNLIMITED },
    },
    { log: pino({ level: 'warn' }) },
  );
  port = Number(new URL(shard.url).port);
  adminUrl = shard.adminUrl;
  adminToken = shard.adminToken;
  try {
    // A first tenant set up like the others but not measured, so that code compiled on first
    // use (JIT) does not count as tenant memory; memory is read after a full GC.
    await setUpTenant('warm-up.messaging.example');
    const before = measureMemory();
    const users: User[] = [];
    for (let t = 0; t < TENANTS; t++) users.push(...(await setUpTenant(`t${t}.messaging.example`)));
    const afterSetup = measureMemory();
    const perTenant = (after: Memory): Memory => ({ rssKB: round((after.rssKB - before.rssKB) / TENANTS, 1), heapKB: round((after.heapKB - before.heapKB) / TENANTS, 1) });
    log(`${TENANTS} tenants × ${USERS} users set up; per tenant: RSS +${perTenant(afterSetup).rssKB} KB, heap +${perTenant(afterSetup).heapKB} KB`);

    const load = new Worker(new URL('./lib/messaging-load.ts', import.meta.url), { workerData: { port, users, rate: RATE, seconds: SECONDS } satisfies LoadInput });
    const { withoutSync, steady, acrossRooms, intoOneRoom } = await new Promise<LoadResults>((resolve, reject) => {
      load.on('message', (message: { log?: string; results?: LoadResults }) => {
        if (message.log) log(message.log);
        if (message.results) resolve(message.results);
      });
      load.on('error', reject);
      load.on('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    });
    await load.terminate();
    // With the caches of traffic: room heads, push rules, recent events, sync tokens.
    const afterTraffic = measureMemory();
    log(`after the traffic, per tenant: RSS +${perTenant(afterTraffic).rssKB} KB, heap +${perTenant(afterTraffic).heapKB} KB`);
    const results = {
      machine: {
        cpuModel: cpus()[0]?.model ?? 'unknown',
        cores: availableParallelism(),
        memoryGiB: round(totalmem() / 2 ** 30),
        node: process.version,
        date: new Date().toISOString(),
        loadAverage1m: round(loadavg()[0] ?? 0),
        ed25519SignsPerCpuSecond: speedReference,
      },
      parameters: { tenants: TENANTS, usersPerTenant: USERS, rate: RATE, seconds: SECONDS, loadGenerator: 'worker thread of the process', postgresFsync: false },
      memoryPerTenant: { afterSetup: perTenant(afterSetup), afterTraffic: perTenant(afterTraffic) },
      steady,
      eventsPerSecond: { acrossRoomsWithoutSyncClients: withoutSync, acrossRooms, intoOneRoom },
      targets: {
        // The write path alone (no sync clients), and with 100 sync clients receiving every event.
        persistedPerSecond: { target: 2000, measured: withoutSync.eventsPerSecond, met: withoutSync.eventsPerSecond >= 2000 },
        persistedPerSecondWhileDelivering: { target: 2000, measured: acrossRooms.eventsPerSecond, met: acrossRooms.eventsPerSecond >= 2000 },
        sendToSyncP99Ms: { target: 50, measured: round(steady.sendToSyncMs.p99), met: steady.sendToSyncMs.p99 <= 50 },
      },
    };
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(new URL('./results/messaging.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(
      new URL('./results/messaging.svg', import.meta.url),
      barChart({
        title: `Messaging: ${TENANTS} tenants × ${USERS} users (in-process, 2 cores)`,
        yLabel: 'events per second',
        bars: [
          { label: 'across rooms, no syncs', value: withoutSync.eventsPerSecond },
          { label: 'across rooms', value: acrossRooms.eventsPerSecond },
          { label: 'into one room', value: intoOneRoom.eventsPerSecond },
          { label: `steady rate`, value: RATE },
        ],
      }),
    );
    log('wrote bench/results/messaging.json and messaging.svg');
  } finally {
    await shard.stop();
    await postgres.stop();
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
