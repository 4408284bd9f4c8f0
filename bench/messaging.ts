// Messaging benchmark: `npm run bench:messaging`. N tenants × U users, each user in 1–5
// rooms; messages at a fixed rate over real HTTP with every user long-polling /sync.
// Measures send latency, send→sync delivery latency (first other member to receive it),
// the most events per second across rooms and into one room, and RSS per tenant.
// The shard runs in this process (rate limits off, cheap password hashing) so the load
// generator's HTTP clients share its two cores: latencies are upper bounds.
import { generateKeyPairSync, sign } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { loadConfig } from '../src/config/config.ts';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.ts';
import { startShard } from '../src/shard.ts';
import { round, summarize } from './lib/density-stats.ts';
import { barChart } from './lib/svg-plot.ts';
import { measureRate } from './lib/measure-rate.ts';
import { postgresCpuMs, processCpuMs } from './lib/process-cpu.ts';

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

interface User {
  tenant: string;
  userId: string;
  token: string;
  rooms: string[];
}

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

/** Sent event ID → send time; delivered once any member other than the sender sees it. */
const sentAt = new Map<string, { at: number; sender: string }>();
const deliveries: number[] = [];
let syncing = true;

async function syncLoop(host: string, user: User, ready: () => void): Promise<void> {
  let since = (await ok(host, 'GET', `${CS}/sync?timeout=0`, undefined, user.token)).next_batch as string;
  ready();
  while (syncing) {
    const res = await http(host, 'GET', `${CS}/sync?timeout=5000&since=${encodeURIComponent(since)}`, undefined, user.token);
    if (res.status !== 200) continue;
    since = res.json.next_batch as string;
    const now = performance.now();
    const joined = ((res.json.rooms as { join?: Record<string, { timeline?: { events?: Array<{ event_id: string }> } }> } | undefined)?.join) ?? {};
    for (const room of Object.values(joined)) {
      for (const event of room.timeline?.events ?? []) {
        const sent = sentAt.get(event.event_id);
        if (sent && sent.sender !== user.userId) {
          deliveries.push(now - sent.at);
          sentAt.delete(event.event_id);
        }
      }
    }
  }
}

let txn = 0;
async function send(user: User, roomId: string): Promise<number> {
  const started = performance.now();
  const res = await ok(user.tenant, 'PUT', `${CS}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/b${txn++}`, { msgtype: 'm.text', body: `message ${txn}` }, user.token);
  const latency = performance.now() - started;
  sentAt.set(res.event_id as string, { at: started, sender: user.userId });
  return latency;
}

interface RateResult {
  eventsPerSecond: number;
  /** CPU per event of this process (shard and load generator together) and of PostgreSQL. */
  nodeCpuMsPerEvent: number;
  postgresCpuMsPerEvent: number;
}

/** As many sends as `concurrency` workers manage in `ms`: events per second and CPU per event. */
async function maxRate(pick: (i: number) => [User, string], concurrency: number, ms: number): Promise<RateResult> {
  const until = performance.now() + ms;
  let count = 0;
  const node0 = processCpuMs();
  const pg0 = postgresCpuMs();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = w; performance.now() < until; i += concurrency) {
        const [user, room] = pick(i);
        await send(user, room);
        count++;
      }
    }),
  );
  return {
    eventsPerSecond: round(count / (ms / 1000), 0),
    nodeCpuMsPerEvent: round((processCpuMs() - node0) / Math.max(1, count), 3),
    postgresCpuMsPerEvent: round((postgresCpuMs() - pg0) / Math.max(1, count), 3),
  };
}

const describeRate = (r: RateResult): string => `${r.eventsPerSecond} (CPU per event: node ${r.nodeCpuMsPerEvent} ms, postgres ${r.postgresCpuMsPerEvent} ms)`;

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
  try {
    const rssBefore = process.memoryUsage().rss;
    const users: User[] = [];
    for (let t = 0; t < TENANTS; t++) {
      const host = `t${t}.messaging.example`;
      const created = await request(`${shard.adminUrl}/_tessera/admin/v1/tenants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${shard.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ server_name: host, registration: 'open' }),
      });
      await created.body.dump();
      const members: User[] = [];
      for (let u = 0; u < USERS; u++) members.push({ tenant: host, ...(await register(host, `user${u}`)), rooms: [] });
      // Room r has members 0..r+1 (at least two), so users are in 1–5 rooms.
      for (let r = 0; r < Math.min(5, USERS - 1); r++) {
        const roomId = (await ok(host, 'POST', `${CS}/createRoom`, { preset: 'public_chat' }, members[0]?.token)).room_id as string;
        for (let u = 0; u <= Math.min(r + 1, USERS - 1); u++) {
          const member = members[u] as User;
          if (u > 0) await ok(host, 'POST', `${CS}/join/${encodeURIComponent(roomId)}`, {}, member.token);
          member.rooms.push(roomId);
        }
      }
      users.push(...members);
    }
    const rssAfter = process.memoryUsage().rss;
    log(`${TENANTS} tenants × ${USERS} users set up; RSS +${round((rssAfter - rssBefore) / 1024 / TENANTS, 1)} KB per tenant`);

    // Warm-up: every connection of the pool prepares its statements (once per connection and
    // tenant) and the rooms' heads get cached; a long-running shard is past this point.
    await maxRate((i) => {
      const user = users[(i * 7) % users.length] as User;
      return [user, user.rooms[i % user.rooms.length] as string];
    }, 32, 4000);
    sentAt.clear();

    // The send path alone, before any client syncs.
    const withoutSync = await maxRate((i) => {
      const user = users[i % users.length] as User;
      return [user, user.rooms[i % user.rooms.length] as string];
    }, 32, 5000);
    sentAt.clear();
    log(`most events/s across rooms, no /sync clients: ${describeRate(withoutSync)}`);

    // Every client makes its initial sync, then long-polls; the steady phase starts once all
    // of them are polling (initial syncs are not what it measures).
    let polling = 0;
    const loops = users.map((user) => syncLoop(user.tenant, user, () => void polling++));
    while (polling < users.length) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1000));

    // Steady rate: RATE events/s spread over users and their rooms.
    const sendLatencies: number[] = [];
    const total = RATE * SECONDS;
    const start = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const user = users[i % users.length] as User;
      const room = user.rooms[i % user.rooms.length] as string;
      inFlight.push(send(user, room).then((ms) => void sendLatencies.push(ms)));
    }
    await Promise.all(inFlight);
    await new Promise((r) => setTimeout(r, 2000));
    const delivered = deliveries.splice(0);
    log(`steady ${RATE}/s: send p50 ${round(summarize(sendLatencies).p50)} ms p99 ${round(summarize(sendLatencies).p99)} ms; send→sync p50 ${round(summarize(delivered).p50)} ms p99 ${round(summarize(delivered).p99)} ms (${delivered.length}/${total} delivered)`);

    const acrossRooms = await maxRate((i) => {
      const user = users[i % users.length] as User;
      return [user, user.rooms[i % user.rooms.length] as string];
    }, 32, 5000);
    log(`most events/s across rooms: ${describeRate(acrossRooms)}`);
    const first = users[0] as User;
    const oneRoom = first.rooms[0] as string;
    const roomMembers = users.filter((u) => u.tenant === first.tenant && u.rooms.includes(oneRoom));
    const intoOneRoom = await maxRate((i) => [roomMembers[i % roomMembers.length] as User, oneRoom], 16, 5000);
    log(`most events/s into one room: ${describeRate(intoOneRoom)}`);

    syncing = false;
    sentAt.clear();
    await Promise.allSettled(loops);
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
      parameters: { tenants: TENANTS, usersPerTenant: USERS, rate: RATE, seconds: SECONDS, inProcess: true, postgresFsync: false },
      rssPerTenantKB: round((rssAfter - rssBefore) / 1024 / TENANTS, 1),
      steady: { sendMs: summarize(sendLatencies), sendToSyncMs: summarize(delivered), delivered: delivered.length, sent: total },
      eventsPerSecond: { acrossRoomsWithoutSyncClients: withoutSync, acrossRooms, intoOneRoom },
      targets: {
        persistedPerSecond: { target: 2000, measured: acrossRooms.eventsPerSecond, met: acrossRooms.eventsPerSecond >= 2000 },
        sendToSyncP99Ms: { target: 50, measured: round(summarize(delivered).p99), met: summarize(delivered).p99 <= 50 },
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
    syncing = false;
    await shard.stop();
    await postgres.stop();
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
